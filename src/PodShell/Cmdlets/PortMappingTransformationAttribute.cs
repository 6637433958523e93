using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PodShell.Model;

namespace PodShell.Cmdlets;

/// <summary>Lets -Port take docker-style strings ("8080:80/tcp") and plain port numbers as well as PodPortMapping objects.</summary>
public sealed class PortMappingTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var items = new List<PodPortMapping>();
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        IEnumerable values = input is IEnumerable e && input is not string ? e : new[] { input };
        foreach (var raw in values)
        {
            var value = raw is PSObject p ? p.BaseObject : raw;
            try
            {
                items.Add(value switch
                {
                    PodPortMapping mapping => mapping,
                    int port => PodPortMapping.Parse(port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    string text => PodPortMapping.Parse(text),
                    _ => throw new FormatException($"'{value}' is not a port mapping: write [hostIP:]hostPort:containerPort[/protocol], for example 8080:80/tcp."),
                });
            }
            catch (FormatException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }
        return items.ToArray();
    }
}
