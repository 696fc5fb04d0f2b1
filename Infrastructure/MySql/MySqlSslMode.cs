namespace Linli.Infrastructure.MySql;

public enum MySqlSslMode
{
    /// <summary>Never use TLS.</summary>
    None,
    /// <summary>Use TLS when the server offers it, without verifying the certificate.</summary>
    Preferred,
    /// <summary>Always use TLS, without verifying the certificate.</summary>
    Required,
    /// <summary>Always use TLS; the certificate must chain to a trusted CA (SslCa when given).</summary>
    VerifyCA,
    /// <summary>As VerifyCA, and the certificate must name the host.</summary>
    VerifyFull,
}
