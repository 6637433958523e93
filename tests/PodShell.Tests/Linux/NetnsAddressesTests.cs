using System.Linq;
using PodShell.Linux;
using Xunit;

namespace PodShell.Tests.Linux;

public class NetnsAddressesTests
{
    // A pod's namespace on a Docker bridge network, as /proc/<pid>/net/fib_trie shows it (Main and Local tables).
    private const string FibTrie = """
        Main:
          +-- 0.0.0.0/0 3 0 5
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 10.150.3.0/24 2 0 2
                +-- 10.150.3.0/30 2 0 2
                   |-- 10.150.3.0
                      /24 link UNICAST
                   |-- 10.150.3.2
                      /32 host LOCAL
                |-- 10.150.3.255
                   /32 link BROADCAST
             +-- 127.0.0.0/8 2 0 2
                |-- 127.0.0.1
                   /32 host LOCAL
        Local:
          +-- 0.0.0.0/0 3 0 5
             +-- 10.150.3.0/30 2 0 2
                |-- 10.150.3.2
                   /32 host LOCAL
        """;

    [Fact]
    public void FindsTheNamespacesOwnIPv4AddressesButNotLoopbackOrBroadcast()
    {
        Assert.Equal(new[] { "10.150.3.2" }, NetnsAddresses.LocalIPv4(FibTrie).Distinct().ToArray());
    }

    [Fact]
    public void ReadsGlobalIPv6AddressesOnly()
    {
        const string inet6 = """
            fd000000000000000000000000000002 02 40 00 80     eth0
            fe800000000000000242acfffe110002 02 40 20 80     eth0
            00000000000000000000000000000001 01 80 10 80       lo
            """;
        Assert.Equal(new[] { "fd00::2" }, NetnsAddresses.IPv6(inet6).ToArray());
    }
}
