using System;
using System.Security.Cryptography;

namespace PodShell.Engine;

/// <summary>Sandbox and container ids as containerd and Docker make them: 32 random bytes, 64 lower-case hex digits.</summary>
public static class ObjectId
{
    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
