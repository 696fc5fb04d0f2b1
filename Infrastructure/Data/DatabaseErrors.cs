using MySqlConnector;

namespace Linli.Infrastructure.Data;

/// <summary>
/// What a database failure means for the caller, decided from MySqlConnector's error codes in one place: the
/// exception handler (503 or 409), the transaction retry and the background workers all ask here.
/// </summary>
public static class DatabaseErrors
{
    /// <summary>
    /// The server could not be reached, refused more connections, did not answer within the command timeout, is shutting down or dropped the connection
    /// mid-statement (MySqlConnector reports that as error code None with the I/O failure inside). The same request may
    /// succeed in a moment; nothing about it was wrong.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception is MySqlException e && (
        e.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ConnectionCountError
            or MySqlErrorCode.TooManyUserConnections or MySqlErrorCode.ServerShutdown or MySqlErrorCode.NormalShutdown
            or MySqlErrorCode.ShutdownComplete or MySqlErrorCode.AbortingConnection or MySqlErrorCode.NewAbortingConnection
            or MySqlErrorCode.NetReadInterrupted or MySqlErrorCode.NetWriteInterrupted or MySqlErrorCode.ClientInteractionTimeout
            or MySqlErrorCode.CommandTimeoutExpired
        || (int)e.ErrorCode == ConnectionKilledByMariaDb
        || (e.ErrorCode == MySqlErrorCode.None && e.InnerException is IOException or System.Net.Sockets.SocketException))
        // A server that goes away mid-reply (a restart) surfaces as MySqlEndOfStreamException, not a MySqlException.
        || exception is MySqlEndOfStreamException;

    /// <summary>
    /// InnoDB chose this transaction as a deadlock victim (1213) or it waited too long for a row lock (1205): the
    /// transaction was rolled back (1205: at least its statement) and running the whole of it again is expected to work.
    /// </summary>
    public static bool IsLockConflict(Exception exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout };

    /// <summary>Either of the above: worth one log line and another try later, not a stack trace.</summary>
    public static bool IsTransient(Exception exception) => IsUnavailable(exception) || IsLockConflict(exception);

    /// <summary>MariaDB's ER_CONNECTION_KILLED, which MySqlConnector's enum (MySQL's numbers) does not name.</summary>
    private const int ConnectionKilledByMariaDb = 1927;
}
