using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PodShell.Engine;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Lets a Pod parameter take a pod name as well as a Pod object: names are looked up in every engine.</summary>
public sealed class PodTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (input is string || input is Pod) return Resolve(input);
        if (input is IEnumerable many)
        {
            var pods = new List<Pod>();
            foreach (var item in many) pods.Add(Resolve(item is PSObject p ? p.BaseObject : item));
            return pods.ToArray();
        }
        return inputData;
    }

    private static Pod Resolve(object item)
    {
        if (item is Pod pod) return pod;
        var name = item.ToString() ?? "";
        var found = EngineRegistry.Owner(name)?.GetPod(name);
        return found ?? throw new ArgumentTransformationMetadataException(
            $"No pod named '{name}' exists. List the pods with Get-Pod.");
    }
}
