namespace Linli.Infrastructure.MySql;

/// <summary>
/// Error numbers callers branch on. Server numbers from
/// https://mariadb.com/kb/en/mariadb-error-code-reference/ ; client numbers follow the C client (2000–2999).
/// </summary>
public static class MySqlErrorCode
{
    public const int TooManyConnections = 1040;
    public const int AccessDenied = 1045;
    public const int UnknownDatabase = 1049;
    public const int DuplicateKey = 1062;
    public const int ParseError = 1064;
    public const int NoSuchTable = 1146;
    public const int LockWaitTimeout = 1205;
    public const int LockDeadlock = 1213;
    public const int RowIsReferenced = 1451;
    public const int NoReferencedRow = 1452;
    public const int QueryInterrupted = 1317;
    public const int ConnectionKilled = 1927;
    public const int ClientInteractionTimeout = 4031;
    public const int MaxStatementTimeExceeded = 1969;

    public const int UnableToConnect = 2003;
    public const int ServerGone = 2006;
    public const int ConnectionLost = 2013;
    public const int SslConnectionError = 2026;
    /// <summary>The command ran longer than its CommandTimeout and was stopped with KILL QUERY (inner TimeoutException).</summary>
    public const int CommandTimeout = 2062;
    public const int PoolTimeout = 2071;
    public const int LocalInfileRefused = 2068;

    internal static bool IsTransient(int number) => number is
        TooManyConnections or LockWaitTimeout or LockDeadlock or ConnectionKilled or ClientInteractionTimeout
        or UnableToConnect or ServerGone or ConnectionLost or PoolTimeout
        or 1053 /* server shutdown in progress */ or 1152 /* aborted connection */ or 1158 or 1159 or 1160 or 1161 /* network read/write errors */;
}
