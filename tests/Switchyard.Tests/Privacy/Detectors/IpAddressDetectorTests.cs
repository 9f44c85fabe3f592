using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class IpAddressDetectorTests
{
    private readonly IpAddressDetector _detector = new();

    [Theory]
    [InlineData("192.168.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334")]
    [InlineData("fe80::1ff:fe23:4567:890a")]
    [InlineData("::1")]
    [InlineData("::ffff:192.0.2.128")]
    [InlineData("2001:db8:0:0:1::")]
    [InlineData("FE80::0202:B3FF:FE1E:8329")]
    public void FindsAddresses(string ip)
    {
        foreach (string text in new[] { ip, $"from {ip}.", $"host={ip}", $"[{ip}]:443", $"({ip})", $"client {ip}, blocked" })
        {
            Assert.Equal(ip, Found.Single(_detector, text));
        }

        Assert.Equal(IpAddressDetector.Confidence, Found.Findings(_detector, ip)[0].Confidence);
    }

    [Theory]
    [InlineData("server at 10.0.0.1:8080", "10.0.0.1")]
    [InlineData("ssh admin@10.0.0.1", "10.0.0.1")]
    [InlineData("at 2001:db8:85a3:0:0:8a2e:370:7334:8080 now", "2001:db8:85a3:0:0:8a2e:370:7334")]
    [InlineData("10.0.0.0/8 is private", "10.0.0.0")]
    public void FindsAddressesInContext(string text, string ip)
    {
        Assert.Equal(ip, Found.Single(_detector, text));
    }

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("192.168.1.300")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("OID 1.3.6.1.4.1.311")]
    [InlineData("01.2.3.4")]
    [InlineData("v1.2.3.4")]
    [InlineData("version 1.2.3.4")]
    [InlineData("12:30:45")]
    [InlineData("MAC 00:1A:2B:3C:4D:5E")]
    [InlineData("std::vector<int> v;")]
    [InlineData("Foo::Bar::baz()")]
    [InlineData("a::b")]
    [InlineData("dead::beef")]
    [InlineData("::")]
    [InlineData("2001:db8::1::2")]
    [InlineData("2001:db8:1:2:3:4:5:6:7")]
    [InlineData("12345::1")]
    [InlineData("x2001:db8::1")]
    public void IgnoresLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }
}
