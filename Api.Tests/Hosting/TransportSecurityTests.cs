using Linli.Api.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace Linli.Api.Tests.Hosting;

public class TransportSecurityTests
{
    private static string? Check(string connectionString, string environment = "Production", string? allowInsecure = null) =>
        TransportSecurity.Problem(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Main"] = connectionString,
                [TransportSecurity.AllowInsecureSetting] = allowInsecure,
            }).Build(),
            new HostingEnvironment { EnvironmentName = environment });

    [TestCase("VerifyCA")]
    [TestCase("VerifyFull")]
    public void AVerifiedConnectionIsAcceptedInProduction(string mode) =>
        Assert.That(Check($"Server=db.internal;Database=linli;User ID=linli;SslMode={mode}"), Is.Null);

    [TestCase("")]
    [TestCase(";SslMode=Preferred")]
    [TestCase(";SslMode=Required")]
    [TestCase(";SslMode=None")]
    public void AnUnverifiedConnectionIsRefusedInProductionNamingTheSetting(string ssl) =>
        Assert.That(Check($"Server=db.internal;Database=linli;User ID=linli{ssl}"), Does.Contain("SslMode=VerifyCA").And.Contains("ConnectionStrings:Main"));

    [Test]
    public void StagingIsHeldToTheSameRule() =>
        Assert.That(Check("Server=db.internal;Database=linli;User ID=linli", "Staging"), Is.Not.Null);

    [TestCase("Development")]
    [TestCase("Testing")]
    public void DevelopmentAndTestingMayConnectWithoutVerification(string environment) =>
        Assert.That(Check("Server=db.internal;Database=linli;User ID=linli;SslMode=None", environment), Is.Null);

    [TestCase("Server=127.0.0.1;Port=3306")]
    [TestCase("Server=localhost")]
    [TestCase("Server=::1")]
    [TestCase("Server=/run/mysqld/mysqld.sock")]
    [TestCase("Server=localhost;Protocol=Unix")]
    public void ALocalServerMayConnectWithoutVerificationWhenTheSettingSaysSo(string server)
    {
        var connectionString = server + ";Database=linli;User ID=linli;SslMode=None";
        Assert.Multiple(() =>
        {
            Assert.That(Check(connectionString), Does.Contain(TransportSecurity.AllowInsecureSetting), "without the setting, the refusal names it");
            Assert.That(Check(connectionString, allowInsecure: "true"), Is.Null);
        });
    }

    [TestCase("Server=db.internal")]
    [TestCase("Server=10.0.0.5")]
    [TestCase("Server=127.0.0.1,db.internal")]
    public void TheSettingDoesNotExcuseARemoteServer(string server) =>
        Assert.That(Check(server + ";Database=linli;User ID=linli;SslMode=None", allowInsecure: "true"),
            Does.Contain(TransportSecurity.AllowInsecureSetting).And.Contains("SslMode=VerifyCA"));
}
