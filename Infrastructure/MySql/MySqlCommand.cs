using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Linli.Infrastructure.MySql.Core;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Infrastructure.MySql;

/// <summary>
/// A statement (or several separated by ';') sent as one COM_QUERY with its parameters interpolated as literals.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
/// </summary>
public sealed class MySqlCommand : DbCommand
{
    private MySqlParameterCollection? _parameters;
    private string _commandText = "";
    private int? _commandTimeout;

    public MySqlCommand() { }

    public MySqlCommand(string? commandText, MySqlConnection? connection = null, MySqlTransaction? transaction = null)
    {
        CommandText = commandText;
        Connection = connection;
        Transaction = transaction;
    }

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? "";
    }

    /// <summary>Seconds before the statement is stopped with KILL QUERY; 0 waits forever. Defaults to Default Command Timeout.</summary>
    public override int CommandTimeout
    {
        get => _commandTimeout ?? Connection?.Settings?.CommandTimeoutSeconds ?? 30;
        set => _commandTimeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The command timeout cannot be negative.");
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text) throw new NotSupportedException("Only CommandType.Text is supported.");
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    public new MySqlConnection? Connection { get; set; }

    public new MySqlTransaction? Transaction { get; set; }

    public new MySqlParameterCollection Parameters => _parameters ??= new MySqlParameterCollection();

    /// <summary>The last non-zero AUTO_INCREMENT id an OK packet of this command reported; -1 if none.</summary>
    public long LastInsertedId { get; internal set; } = -1;

    protected override DbConnection? DbConnection
    {
        get => Connection;
        set => Connection = value as MySqlConnection ?? (value is null ? null : throw new ArgumentException("The connection must be a MySqlConnection.", nameof(value)));
    }

    protected override DbParameterCollection DbParameterCollection => Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = value as MySqlTransaction ?? (value is null ? null : throw new ArgumentException("The transaction must be a MySqlTransaction.", nameof(value)));
    }

    public override void Cancel() => Connection?.Session?.CancelCommand();

    public override void Prepare()
    {
        // Statements are sent as text; there is nothing to prepare.
    }

    protected override DbParameter CreateDbParameter() => new MySqlParameter();

    public new MySqlParameter CreateParameter() => new();

    public new MySqlDataReader ExecuteReader() => ExecuteReaderAsync(CommandBehavior.Default, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public new MySqlDataReader ExecuteReader(CommandBehavior behavior) => ExecuteReaderAsync(behavior, async: false, CancellationToken.None).GetAwaiter().GetResult();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        ExecuteReaderAsync(behavior, async: false, CancellationToken.None).GetAwaiter().GetResult();

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await ExecuteReaderAsync(behavior, async: true, cancellationToken).ConfigureAwait(false);

    public new Task<MySqlDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        ExecuteReaderAsync(CommandBehavior.Default, async: true, cancellationToken);

    public override int ExecuteNonQuery() => ExecuteNonQueryAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => ExecuteNonQueryAsync(async: true, cancellationToken);

    public override object? ExecuteScalar() => ExecuteScalarAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => ExecuteScalarAsync(async: true, cancellationToken);

    private async Task<int> ExecuteNonQueryAsync(bool async, CancellationToken cancellationToken)
    {
        var reader = await ExecuteReaderAsync(CommandBehavior.Default, async, cancellationToken).ConfigureAwait(false);
        try
        {
            while (await reader.NextResultAsync(async).ConfigureAwait(false)) { }
        }
        finally
        {
            await reader.CloseAsync(async).ConfigureAwait(false);
        }
        return reader.RecordsAffected;
    }

    private async Task<object?> ExecuteScalarAsync(bool async, CancellationToken cancellationToken)
    {
        var reader = await ExecuteReaderAsync(CommandBehavior.Default, async, cancellationToken).ConfigureAwait(false);
        try
        {
            object? value = null;
            if (reader.FieldCount > 0 && await reader.ReadAsync(async).ConfigureAwait(false))
                value = reader.GetValue(0);
            while (await reader.NextResultAsync(async).ConfigureAwait(false)) { }
            return value;
        }
        finally
        {
            await reader.CloseAsync(async).ConfigureAwait(false);
        }
    }

    internal async Task<MySqlDataReader> ExecuteReaderAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
    {
        var connection = Connection ?? throw new InvalidOperationException("The command has no Connection.");
        var session = connection.Session ?? throw new InvalidOperationException("The connection is not open.");
        if (session.ActiveReader is not null)
            throw new InvalidOperationException("This connection already has an open DataReader; close it before running another command.");
        if (string.IsNullOrWhiteSpace(_commandText)) throw new InvalidOperationException("The CommandText is empty.");
        cancellationToken.ThrowIfCancellationRequested();
        CharacterSetGuard.Check(_commandText);

        var writer = session.StartCommand(CommandKind.Query);
        QueryBuilder.Write(writer, _commandText, _parameters, session.StringEscaping);
        LastInsertedId = -1;
        session.BeginCancellableCommand(CommandTimeout, cancellationToken);
        try
        {
            await session.SendCommandAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.EndCancellableCommandAsync(async, sawInterruption: false).ConfigureAwait(false);
            throw;
        }
        var reader = new MySqlDataReader(this, session, behavior);
        await reader.InitAsync(async).ConfigureAwait(false);
        return reader;
    }
}
