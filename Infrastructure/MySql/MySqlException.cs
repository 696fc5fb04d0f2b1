using System.Data.Common;

namespace Linli.Infrastructure.MySql;

/// <summary>An error the server reported (ERR packet) or a client-side failure numbered like the C client's (2003, 2006, 2013 …).</summary>
public sealed class MySqlException : DbException
{
    public MySqlException(int number, string? sqlState, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Number = number;
        SqlState = sqlState;
    }

    public MySqlException(string message) : this(0, null, message) { }

    public MySqlException(string message, Exception innerException) : this(0, null, message, innerException) { }

    public MySqlException() : this(0, null, "A MySQL error occurred.") { }

    public int Number { get; }

    public override string? SqlState { get; }

    public override int ErrorCode => Number;

    /// <summary>True when retrying the operation (or the whole transaction) may succeed.</summary>
    public override bool IsTransient => MySqlErrorCode.IsTransient(Number);
}
