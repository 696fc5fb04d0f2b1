using System.Buffers.Text;
using System.Collections;
using System.Data;
using System.Data.Common;
using System.Text;
using Linli.Infrastructure.MySql.Core;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Infrastructure.MySql;

/// <summary>
/// Reads the reply to a COM_QUERY: zero or more result sets and OK packets. It starts at the first result set that has
/// columns; the affected rows of OK results are summed into <see cref="RecordsAffected"/>.
/// Rows stay in the connection's read buffer; values are decoded only when asked for.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html
/// </summary>
// CA1010: the base class fixes the non-generic enumerable shape. CA2201: ADO.NET specifies IndexOutOfRangeException for unknown columns.
#pragma warning disable CA1010, CA2201
public sealed class MySqlDataReader : DbDataReader
{
    private enum State { BeforeRows, InRows, ResultSetDone, Finished, Closed }

    private readonly MySqlCommand _command;
    private readonly ServerSession _session;
    private readonly CommandBehavior _behavior;
    private State _state;
    private ColumnDefinition[] _columns = [];
    private int[] _offsets = [];
    private int[] _lengths = [];
    private ReadOnlyMemory<byte> _row;
    private bool _hasRow;
    private bool _firstRowPending;
    private bool _hasRows;
    private bool _moreResults;
    private int _recordsAffected = -1;
    private bool _sawInterruption;
    private bool _commandEnded;

    internal MySqlDataReader(MySqlCommand command, ServerSession session, CommandBehavior behavior)
    {
        _command = command;
        _session = session;
        _behavior = behavior;
    }

    /// <summary>Reads up to the first result set with columns (or the end of the reply).</summary>
    internal async Task InitAsync(bool async)
    {
        _session.ActiveReader = this;
        try
        {
            await ReadResultHeaderAsync(async).ConfigureAwait(false);
            if (Cancelled || TimedOut)
            {
                // The statement finished before the kill could stop it; the caller asked to cancel all the same.
                await DrainAsync(async).ConfigureAwait(false);
                throw CancellationFailure(null);
            }
        }
        catch
        {
            await DrainAfterFailureAsync(async).ConfigureAwait(false);
            throw;
        }
    }

    public override int FieldCount => _state == State.Closed ? throw Closed() : _columns.Length;

    public override int VisibleFieldCount => FieldCount;

    public override bool HasRows => _hasRows;

    public override bool IsClosed => _state == State.Closed;

    public override int RecordsAffected => _recordsAffected;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => ReadAsync(async: false).RunSync();

    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var read = ReadAsync(async: true);
        return read.IsCompletedSuccessfully ? (read.Result ? TrueTask : FalseTask) : read.AsTask();
    }

    private static readonly Task<bool> TrueTask = Task.FromResult(true);
    private static readonly Task<bool> FalseTask = Task.FromResult(false);

    internal ValueTask<bool> ReadAsync(bool async)
    {
        if (_state != State.InRows)
        {
            _hasRow = false;
            return _state == State.Closed ? throw Closed() : new ValueTask<bool>(false);
        }
        if (_firstRowPending)
        {
            _firstRowPending = false;
            _hasRow = true;
            return new ValueTask<bool>(true);
        }
        var receive = _session.ReceiveAsync(async);
        if (receive.IsCompletedSuccessfully)
        {
            var payload = receive.Result;
            return TryAcceptRow(payload) ? new ValueTask<bool>(true) : EndRowsAsync(payload, async);
        }
        return ReadSlowAsync(receive, async);
    }

    private async ValueTask<bool> EndRowsAsync(ReadOnlyMemory<byte> payload, bool async)
    {
        try
        {
            await OnRowsEndedAsync(payload, async).ConfigureAwait(false);
            return false;
        }
        catch
        {
            await DrainAfterFailureAsync(async).ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask<bool> ReadSlowAsync(ValueTask<ReadOnlyMemory<byte>> receive, bool async)
    {
        try
        {
            var payload = await receive.ConfigureAwait(false);
            if (TryAcceptRow(payload)) return true;
            await OnRowsEndedAsync(payload, async).ConfigureAwait(false);
            return false;
        }
        catch
        {
            await DrainAfterFailureAsync(async).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Parses a row packet in place; false when the packet is not a row (terminator or ERR).</summary>
    private bool TryAcceptRow(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        if (span.Length == 0 || span[0] == 0xFF || OkPacket.IsResultSetTerminator(span)) return false;
        var position = 0;
        for (var i = 0; i < _offsets.Length; i++)
        {
            if (position >= span.Length) throw _session.Malformed(new FormatException($"Expected a value for column {i} but the row ended."));
            var first = span[position];
            if (first == 0xFB)
            {
                _offsets[i] = position + 1;
                _lengths[i] = -1;
                position++;
                continue;
            }
            int length;
            if (first < 0xFB)
            {
                length = first;
                position++;
            }
            else
            {
                var reader = new PayloadReader(span[position..]);
                ulong value;
                try
                {
                    value = reader.ReadLengthEncodedInteger("value length");
                }
                catch (FormatException e)
                {
                    throw _session.Malformed(e);
                }
                position += reader.Position;
                length = (int)value;
            }
            if ((uint)length > (uint)(span.Length - position)) throw _session.Malformed(new FormatException($"Expected {length} bytes for column {i} but the row has {span.Length - position} left."));
            _offsets[i] = position;
            _lengths[i] = length;
            position += length;
        }
        _row = payload;
        _hasRow = true;
        return true;
    }

    private async ValueTask OnRowsEndedAsync(ReadOnlyMemory<byte> payload, bool async)
    {
        _hasRow = false;
        var span = payload.Span;
        if (span.Length > 0 && span[0] == 0xFF)
        {
            var err = ErrPacket.Create(span);
            _state = State.Finished;
            await EndCommandAsync(async, err.ErrorCode == MySqlErrorCode.QueryInterrupted).ConfigureAwait(false);
            throw TranslateError(err);
        }
        var status = _session.ReadTerminatorStatus(span);
        _session.UpdateStatus(status);
        _moreResults = (status & ServerStatus.MoreResultsExist) != 0;
        _state = State.ResultSetDone;
        if (!_moreResults)
        {
            _state = State.Finished;
            await EndCommandAsync(async, false).ConfigureAwait(false);
        }
    }

    public override bool NextResult() => NextResultAsync(async: false).RunSync();

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => NextResultAsync(async: true).AsTask();

    internal async ValueTask<bool> NextResultAsync(bool async)
    {
        if (_state == State.Closed) throw Closed();
        try
        {
            while (_state == State.InRows)
            {
                if (!await ReadAsync(async).ConfigureAwait(false)) break;
            }
            _hasRow = false;
            if (_state != State.ResultSetDone) return false;
            _columns = [];
            await ReadResultHeaderAsync(async).ConfigureAwait(false);
            return _state == State.InRows;
        }
        catch
        {
            await DrainAfterFailureAsync(async).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads OK packets (summing affected rows) until a result set with columns starts or the reply ends.</summary>
    private async ValueTask ReadResultHeaderAsync(bool async)
    {
        while (true)
        {
            var payload = await _session.ReceiveAsync(async).ConfigureAwait(false);
            var span = payload.Span;
            switch (span.Length > 0 ? span[0] : -1)
            {
                case 0xFF:
                {
                    var err = ErrPacket.Create(span);
                    _state = State.Finished;
                    await EndCommandAsync(async, err.ErrorCode == MySqlErrorCode.QueryInterrupted).ConfigureAwait(false);
                    throw TranslateError(err);
                }
                case 0x00:
                {
                    OkPacket ok;
                    try
                    {
                        ok = OkPacket.Create(span);
                    }
                    catch (FormatException e)
                    {
                        throw _session.Malformed(e);
                    }
                    _session.UpdateStatus(ok.Status);
                    _recordsAffected = (_recordsAffected < 0 ? 0 : _recordsAffected) + (int)Math.Min(ok.AffectedRows, int.MaxValue);
                    if (ok.LastInsertId != 0) _command.LastInsertedId = (long)ok.LastInsertId;
                    if ((ok.Status & ServerStatus.MoreResultsExist) != 0) continue;
                    _state = State.Finished;
                    await EndCommandAsync(async, false).ConfigureAwait(false);
                    return;
                }
                case 0xFB:
                    await RefuseLocalInfileAsync(async).ConfigureAwait(false);
                    continue;
                case -1:
                    throw _session.Malformed(new FormatException("Expected a query reply but the packet is empty."));
                default:
                    await ReadColumnsAsync(ReadColumnCount(span), async).ConfigureAwait(false);
                    return;
            }
        }
    }

    private async ValueTask RefuseLocalInfileAsync(bool async)
    {
        // Send an empty packet: "no file". The server answers with ERR or OK; either way the statement failed.
        await _session.SendEmptyPacketAsync(async).ConfigureAwait(false);
        var reply = await _session.ReceiveAsync(async).ConfigureAwait(false);
        if (ErrPacket.IsErr(reply.Span))
        {
            _state = State.Finished;
            await EndCommandAsync(async, false).ConfigureAwait(false);
            throw ErrPacket.Create(reply.Span).ToException();
        }
        var ok = OkPacket.Create(reply.Span);
        _session.UpdateStatus(ok.Status);
        if ((ok.Status & ServerStatus.MoreResultsExist) != 0) await DrainFromHeaderAsync(async).ConfigureAwait(false);
        _state = State.Finished;
        await EndCommandAsync(async, false).ConfigureAwait(false);
        throw new MySqlException(MySqlErrorCode.LocalInfileRefused, "HY000", "LOAD DATA LOCAL INFILE is not supported by this driver.");
    }

    private async ValueTask DrainFromHeaderAsync(bool async)
    {
        try
        {
            while (true)
            {
                await ReadResultHeaderAsync(async).ConfigureAwait(false);
                if (_state != State.InRows) return;
                _firstRowPending = false;
                while (await ReadAsync(async).ConfigureAwait(false)) { }
                if (_state != State.ResultSetDone) return;
            }
        }
        catch (MySqlException) when (!_session.IsBroken)
        {
        }
    }

    private int ReadColumnCount(ReadOnlySpan<byte> countPacket)
    {
        try
        {
            var reader = new PayloadReader(countPacket);
            return checked((int)reader.ReadLengthEncodedInteger("column count"));
        }
        catch (FormatException e)
        {
            throw _session.Malformed(e);
        }
    }

    private async ValueTask ReadColumnsAsync(int count, bool async)
    {
        // The same statement usually returns the same columns: reuse the definitions parsed last time.
        var cached = _session.LastColumns;
        var columns = cached.Length == count ? cached : new ColumnDefinition[count];
        for (var i = 0; i < count; i++)
        {
            var payload = await _session.ReceiveAsync(async).ConfigureAwait(false);
            if (i < cached.Length && cached[i].HasLayout(payload.Span))
            {
                columns[i] = cached[i];
                continue;
            }
            if (ReferenceEquals(columns, cached))
            {
                columns = (ColumnDefinition[])cached.Clone();
            }
            try
            {
                columns[i] = ColumnDefinition.Create(payload.Span);
            }
            catch (FormatException e)
            {
                throw _session.Malformed(e);
            }
        }
        _session.LastColumns = columns;
        if ((_session.Capabilities & CapabilityFlags.DeprecateEof) == 0)
        {
            var eof = await _session.ReceiveAsync(async).ConfigureAwait(false);
            if (!EofPacket.IsEof(eof.Span)) throw _session.Malformed(new FormatException("Expected an EOF packet after the column definitions."));
        }
        _columns = columns;
        if (_offsets.Length != count)
        {
            _offsets = new int[count];
            _lengths = new int[count];
        }
        _state = State.InRows;
        // Read ahead one row so HasRows is known.
        var first = await _session.ReceiveAsync(async).ConfigureAwait(false);
        if (TryAcceptRow(first))
        {
            _hasRows = true;
            _firstRowPending = true;
            _hasRow = false;
        }
        else
        {
            _hasRows = false;
            await OnRowsEndedAsync(first, async).ConfigureAwait(false);
        }
    }

    private Exception TranslateError(ErrPacket err)
    {
        if (err.ErrorCode == MySqlErrorCode.QueryInterrupted) _sawInterruption = true;
        return Cancelled || TimedOut ? CancellationFailure(err.ToException()) : err.ToException();
    }

    private Exception CancellationFailure(MySqlException? inner)
    {
        if (TimedOut)
            return new MySqlException(MySqlErrorCode.CommandTimeout, "70100",
                $"The Command Timeout of {_session.CommandTimeoutSeconds} s expired before the statement finished; it was stopped with KILL QUERY.",
                new TimeoutException($"Command Timeout of {_session.CommandTimeoutSeconds} s expired.", inner));
        return new OperationCanceledException("The statement was cancelled (KILL QUERY).", inner, _session.CommandToken);
    }

    private async ValueTask EndCommandAsync(bool async, bool sawInterruption)
    {
        if (_commandEnded) return;
        _commandEnded = true;
        _sawInterruption |= sawInterruption;
        // Remember why the command was stopped: ending it clears the session's cancellation state.
        _cancelled = _session.WasCancelled;
        _timedOut = _session.TimedOutCommand;
        if (ReferenceEquals(_session.ActiveReader, this)) _session.ActiveReader = null;
        await _session.EndCancellableCommandAsync(async, _sawInterruption).ConfigureAwait(false);
    }

    private bool _cancelled;
    private bool _timedOut;
    private bool Cancelled => _cancelled || (!_commandEnded && _session.WasCancelled);
    private bool TimedOut => _timedOut || (!_commandEnded && _session.TimedOutCommand);

    /// <summary>After a failure mid-reply: consume what is left so the session can be reused, or mark it broken.</summary>
    private async ValueTask DrainAfterFailureAsync(bool async)
    {
        if (_state is State.Finished or State.Closed || _session.IsBroken)
        {
            _state = _state == State.Closed ? State.Closed : State.Finished;
            if (_session.IsBroken && ReferenceEquals(_session.ActiveReader, this)) _session.ActiveReader = null;
            if (!_commandEnded && _session.IsBroken) await EndCommandAsync(async, false).ConfigureAwait(false);
            return;
        }
        try
        {
            await DrainAsync(async).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MySqlException or OperationCanceledException)
        {
            // The first error is what the caller sees.
        }
        if (_state != State.Finished)
        {
            _session.MarkBroken();
            _state = State.Finished;
        }
    }

    /// <summary>Reads and discards the rest of the reply.</summary>
    private async ValueTask DrainAsync(bool async)
    {
        while (_state is State.InRows or State.ResultSetDone or State.BeforeRows)
        {
            _firstRowPending = false;
            if (_state == State.InRows)
            {
                while (await ReadAsync(async).ConfigureAwait(false)) { }
                continue;
            }
            if (_state == State.ResultSetDone)
            {
                await ReadResultHeaderAsync(async).ConfigureAwait(false);
                continue;
            }
            break;
        }
    }

    public override void Close() => CloseAsync(async: false).RunSync();

    public override Task CloseAsync() => CloseAsync(async: true).AsTask();

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync(async: true).ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    internal async ValueTask CloseAsync(bool async)
    {
        if (_state == State.Closed) return;
        try
        {
            if (_state != State.Finished && !_session.IsBroken)
            {
                try
                {
                    await DrainAsync(async).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MySqlException or OperationCanceledException)
                {
                    // Errors in results nobody read are not reported on close.
                }
            }
            if (!_commandEnded) await EndCommandAsync(async, false).ConfigureAwait(false);
        }
        finally
        {
            _state = State.Closed;
            if (ReferenceEquals(_session.ActiveReader, this)) _session.ActiveReader = null;
            if ((_behavior & CommandBehavior.CloseConnection) != 0 && _command.Connection is { } connection)
            {
                if (async) await connection.CloseAsync().ConfigureAwait(false);
                else connection.Close();
            }
        }
    }

    // ----- values -----

    private ColumnDefinition Column(int ordinal)
    {
        if (_state == State.Closed) throw Closed();
        if ((uint)ordinal >= (uint)_columns.Length) throw new IndexOutOfRangeException($"Column {ordinal} does not exist; the result has {_columns.Length} column(s).");
        return _columns[ordinal];
    }

    private ReadOnlySpan<byte> Value(int ordinal, out ColumnDefinition column)
    {
        column = Column(ordinal);
        if (!_hasRow) throw new InvalidOperationException("There is no current row: call Read() first and check that it returned true.");
        var length = _lengths[ordinal];
        if (length < 0) throw new InvalidCastException($"Column \"{column.Name}\" is NULL; check IsDBNull first.");
        return _row.Span.Slice(_offsets[ordinal], length);
    }

    public override bool IsDBNull(int ordinal)
    {
        Column(ordinal);
        if (!_hasRow) throw new InvalidOperationException("There is no current row: call Read() first and check that it returned true.");
        return _lengths[ordinal] < 0;
    }

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => IsDBNull(ordinal) ? TrueTask : FalseTask;

    public override string GetName(int ordinal) => Column(ordinal).Name;

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < _columns.Length; i++)
            if (string.Equals(_columns[i].Name, name, StringComparison.Ordinal)) return i;
        for (var i = 0; i < _columns.Length; i++)
            if (string.Equals(_columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new IndexOutOfRangeException($"The result has no column named \"{name}\".");
    }

    public override string GetDataTypeName(int ordinal)
    {
        var column = Column(ordinal);
        var unsigned = column.IsUnsigned ? " UNSIGNED" : "";
        return column.Type switch
        {
            ColumnType.Tiny => (IsBooleanColumn(column) ? "BOOL" : "TINYINT") + unsigned,
            ColumnType.Short => "SMALLINT" + unsigned,
            ColumnType.Int24 => "MEDIUMINT" + unsigned,
            ColumnType.Long => "INT" + unsigned,
            ColumnType.LongLong => "BIGINT" + unsigned,
            ColumnType.Float => "FLOAT",
            ColumnType.Double => "DOUBLE",
            ColumnType.Decimal or ColumnType.NewDecimal => "DECIMAL",
            ColumnType.Date or ColumnType.NewDate => "DATE",
            ColumnType.DateTime => "DATETIME",
            ColumnType.Timestamp => "TIMESTAMP",
            ColumnType.Time => "TIME",
            ColumnType.Year => "YEAR",
            ColumnType.Bit => "BIT",
            ColumnType.Json => "JSON",
            ColumnType.Enum => "ENUM",
            ColumnType.Set => "SET",
            ColumnType.Geometry => "GEOMETRY",
            ColumnType.Null => "NULL",
            ColumnType.TinyBlob or ColumnType.Blob or ColumnType.MediumBlob or ColumnType.LongBlob => column.IsBinary ? "BLOB" : "TEXT",
            ColumnType.String => column.IsBinary ? "BINARY" : "CHAR",
            _ => column.IsBinary ? "VARBINARY" : "VARCHAR",
        };
    }

    private static bool IsBooleanColumn(ColumnDefinition column) => column.Type == ColumnType.Tiny && column.ColumnLength == 1;

    private static bool IsTextual(ColumnDefinition column) => column.Type is ColumnType.VarChar or ColumnType.VarString or ColumnType.String
        or ColumnType.TinyBlob or ColumnType.Blob or ColumnType.MediumBlob or ColumnType.LongBlob or ColumnType.Json
        or ColumnType.Enum or ColumnType.Set;

    public override Type GetFieldType(int ordinal)
    {
        var column = Column(ordinal);
        return column.Type switch
        {
            ColumnType.Tiny => IsBooleanColumn(column) ? typeof(bool) : column.IsUnsigned ? typeof(byte) : typeof(sbyte),
            ColumnType.Short => column.IsUnsigned ? typeof(ushort) : typeof(short),
            ColumnType.Int24 or ColumnType.Long => column.IsUnsigned ? typeof(uint) : typeof(int),
            ColumnType.LongLong => column.IsUnsigned ? typeof(ulong) : typeof(long),
            ColumnType.Year => typeof(int),
            ColumnType.Float => typeof(float),
            ColumnType.Double => typeof(double),
            ColumnType.Decimal or ColumnType.NewDecimal => typeof(decimal),
            ColumnType.Date or ColumnType.NewDate or ColumnType.DateTime or ColumnType.Timestamp => typeof(DateTime),
            ColumnType.Time => typeof(TimeSpan),
            ColumnType.Bit => typeof(ulong),
            ColumnType.String when column.IsChar36 => typeof(Guid),
            ColumnType.Json or ColumnType.Enum or ColumnType.Set => typeof(string),
            ColumnType.Geometry => typeof(byte[]),
            ColumnType.Null => typeof(object),
            _ => column.IsBinary ? typeof(byte[]) : typeof(string),
        };
    }

    public override object GetValue(int ordinal)
    {
        var column = Column(ordinal);
        if (!_hasRow) throw new InvalidOperationException("There is no current row: call Read() first and check that it returned true.");
        if (_lengths[ordinal] < 0) return DBNull.Value;
        var text = _row.Span.Slice(_offsets[ordinal], _lengths[ordinal]);
        return column.Type switch
        {
            ColumnType.Tiny when IsBooleanColumn(column) => TextValues.ParseInt64(text) != 0,
            ColumnType.Tiny => column.IsUnsigned ? (byte)TextValues.ParseUInt64(text) : (sbyte)TextValues.ParseInt64(text),
            ColumnType.Short => column.IsUnsigned ? (ushort)TextValues.ParseUInt64(text) : (short)TextValues.ParseInt64(text),
            ColumnType.Int24 or ColumnType.Long => column.IsUnsigned ? (uint)TextValues.ParseUInt64(text) : (int)TextValues.ParseInt64(text),
            ColumnType.LongLong => column.IsUnsigned ? TextValues.ParseUInt64(text) : TextValues.ParseInt64(text),
            ColumnType.Year => (int)TextValues.ParseInt64(text),
            ColumnType.Float => TextValues.ParseSingle(text),
            ColumnType.Double => TextValues.ParseDouble(text),
            ColumnType.Decimal or ColumnType.NewDecimal => TextValues.ParseDecimal(text),
            ColumnType.Date or ColumnType.NewDate or ColumnType.DateTime or ColumnType.Timestamp => TextValues.ParseDateTime(text),
            ColumnType.Time => TextValues.ParseTimeSpan(text),
            ColumnType.Bit => TextValues.ParseBit(text),
            // Text that is not a GUID (a CHAR(36) used for something else) comes back as the string it is.
            ColumnType.String when column.IsChar36 => Utf8Parser.TryParse(text, out Guid guid, out var used, 'D') && used == text.Length ? guid : Encoding.UTF8.GetString(text),
            ColumnType.Null => DBNull.Value,
            ColumnType.Geometry => text.ToArray(),
            _ when IsTextual(column) && !column.IsBinary => Encoding.UTF8.GetString(text),
            _ when IsTextual(column) => text.ToArray(),
            _ => Encoding.UTF8.GetString(text),
        };
    }

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, _columns.Length);
        for (var i = 0; i < count; i++) values[i] = GetValue(i);
        return count;
    }

    public override bool GetBoolean(int ordinal)
    {
        var text = Value(ordinal, out var column);
        if (column.Type == ColumnType.Bit) return TextValues.ParseBit(text) != 0;
        if (IsTextual(column))
        {
            if (text.SequenceEqual("true"u8) || text.SequenceEqual("TRUE"u8)) return true;
            if (text.SequenceEqual("false"u8) || text.SequenceEqual("FALSE"u8)) return false;
        }
        return TextValues.ParseDecimal(text) != 0;
    }

    public override byte GetByte(int ordinal) => checked((byte)GetInt64Core(ordinal, unsignedAllowed: true));

    public sbyte GetSByte(int ordinal) => checked((sbyte)GetInt64(ordinal));

    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    public ushort GetUInt16(int ordinal) => checked((ushort)GetUInt64(ordinal));

    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    public uint GetUInt32(int ordinal) => checked((uint)GetUInt64(ordinal));

    public override long GetInt64(int ordinal) => GetInt64Core(ordinal, unsignedAllowed: false);

    private long GetInt64Core(int ordinal, bool unsignedAllowed)
    {
        var text = Value(ordinal, out var column);
        if (column.Type == ColumnType.Bit) return checked((long)TextValues.ParseBit(text));
        _ = unsignedAllowed;
        try
        {
            return TextValues.ParseInt64(text);
        }
        catch (OverflowException e)
        {
            throw new InvalidCastException($"The value of column \"{column.Name}\" does not fit the requested integer type.", e);
        }
    }

    public ulong GetUInt64(int ordinal)
    {
        var text = Value(ordinal, out var column);
        if (column.Type == ColumnType.Bit) return TextValues.ParseBit(text);
        try
        {
            return TextValues.ParseUInt64(text);
        }
        catch (OverflowException e)
        {
            throw new InvalidCastException($"The value of column \"{column.Name}\" does not fit the requested integer type.", e);
        }
    }

    public override decimal GetDecimal(int ordinal) => TextValues.ParseDecimal(Value(ordinal, out _));

    public override double GetDouble(int ordinal) => TextValues.ParseDouble(Value(ordinal, out _));

    public override float GetFloat(int ordinal) => TextValues.ParseSingle(Value(ordinal, out _));

    public override string GetString(int ordinal) => Encoding.UTF8.GetString(Value(ordinal, out _));

    public override char GetChar(int ordinal)
    {
        var s = GetString(ordinal);
        return s.Length > 0 ? s[0] : throw new InvalidCastException("The value is an empty string.");
    }

    public override DateTime GetDateTime(int ordinal)
    {
        var text = Value(ordinal, out var column);
        return column.Type == ColumnType.Time ? DateTime.MinValue + TextValues.ParseTimeSpan(text) : TextValues.ParseDateTime(text);
    }

    /// <summary>Stored times are UTC by Linli's convention; the value comes back with offset zero.</summary>
    public DateTimeOffset GetDateTimeOffset(int ordinal) => new(DateTime.SpecifyKind(GetDateTime(ordinal), DateTimeKind.Utc));

    public DateOnly GetDateOnly(int ordinal) => DateOnly.FromDateTime(GetDateTime(ordinal));

    public TimeSpan GetTimeSpan(int ordinal)
    {
        var text = Value(ordinal, out var column);
        return column.Type == ColumnType.Time ? TextValues.ParseTimeSpan(text) : TextValues.ParseDateTime(text).TimeOfDay;
    }

    public TimeOnly GetTimeOnly(int ordinal) => TimeOnly.FromTimeSpan(GetTimeSpan(ordinal));

    public override Guid GetGuid(int ordinal)
    {
        var bytes = Value(ordinal, out var column);
        if (column.IsBinary && bytes.Length == 16) return new Guid(bytes, bigEndian: true);
        if (Utf8Parser.TryParse(bytes, out Guid guid, out var consumed, bytes.Length == 32 ? 'N' : 'D') && consumed == bytes.Length) return guid;
        throw new InvalidCastException($"The value of column \"{column.Name}\" is not a GUID.");
    }

    public byte[] GetBytes(int ordinal) => Value(ordinal, out _).ToArray();

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = Value(ordinal, out _);
        if (buffer is null) return bytes.Length;
        if (dataOffset >= bytes.Length) return 0;
        var count = Math.Min(length, bytes.Length - (int)dataOffset);
        bytes.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null) return text.Length;
        if (dataOffset >= text.Length) return 0;
        var count = Math.Min(length, text.Length - (int)dataOffset);
        text.AsSpan((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    public override T GetFieldValue<T>(int ordinal)
    {
        if (typeof(T) == typeof(int)) return (T)(object)GetInt32(ordinal);
        if (typeof(T) == typeof(long)) return (T)(object)GetInt64(ordinal);
        if (typeof(T) == typeof(string)) return (T)(object)GetString(ordinal);
        if (typeof(T) == typeof(bool)) return (T)(object)GetBoolean(ordinal);
        if (typeof(T) == typeof(DateTime)) return (T)(object)GetDateTime(ordinal);
        if (typeof(T) == typeof(DateTimeOffset)) return (T)(object)GetDateTimeOffset(ordinal);
        if (typeof(T) == typeof(decimal)) return (T)(object)GetDecimal(ordinal);
        if (typeof(T) == typeof(double)) return (T)(object)GetDouble(ordinal);
        if (typeof(T) == typeof(float)) return (T)(object)GetFloat(ordinal);
        if (typeof(T) == typeof(short)) return (T)(object)GetInt16(ordinal);
        if (typeof(T) == typeof(byte)) return (T)(object)GetByte(ordinal);
        if (typeof(T) == typeof(sbyte)) return (T)(object)GetSByte(ordinal);
        if (typeof(T) == typeof(ushort)) return (T)(object)GetUInt16(ordinal);
        if (typeof(T) == typeof(uint)) return (T)(object)GetUInt32(ordinal);
        if (typeof(T) == typeof(ulong)) return (T)(object)GetUInt64(ordinal);
        if (typeof(T) == typeof(DateOnly)) return (T)(object)GetDateOnly(ordinal);
        if (typeof(T) == typeof(TimeOnly)) return (T)(object)GetTimeOnly(ordinal);
        if (typeof(T) == typeof(TimeSpan)) return (T)(object)GetTimeSpan(ordinal);
        if (typeof(T) == typeof(Guid)) return (T)(object)GetGuid(ordinal);
        if (typeof(T) == typeof(byte[])) return (T)(object)GetBytes(ordinal);
        if (typeof(T) == typeof(char)) return (T)(object)GetChar(ordinal);
        var underlying = Nullable.GetUnderlyingType(typeof(T));
        if (underlying is not null)
        {
            if (IsDBNull(ordinal)) return default!;
            return (T)GetFieldValueAsObject(ordinal, underlying);
        }
        var value = GetValue(ordinal);
        if (value is T typed) return typed;
        if (value is DBNull)
        {
            if (default(T) is null) return default!;
            throw new InvalidCastException($"Column \"{GetName(ordinal)}\" is NULL; it cannot be read as {typeof(T).Name}.");
        }
        return (T)GetFieldValueAsObject(ordinal, typeof(T));
    }

    private object GetFieldValueAsObject(int ordinal, Type type)
    {
        if (type == typeof(int)) return GetInt32(ordinal);
        if (type == typeof(long)) return GetInt64(ordinal);
        if (type == typeof(bool)) return GetBoolean(ordinal);
        if (type == typeof(DateTime)) return GetDateTime(ordinal);
        if (type == typeof(DateTimeOffset)) return GetDateTimeOffset(ordinal);
        if (type == typeof(decimal)) return GetDecimal(ordinal);
        if (type == typeof(double)) return GetDouble(ordinal);
        if (type == typeof(float)) return GetFloat(ordinal);
        if (type == typeof(short)) return GetInt16(ordinal);
        if (type == typeof(byte)) return GetByte(ordinal);
        if (type == typeof(sbyte)) return GetSByte(ordinal);
        if (type == typeof(ushort)) return GetUInt16(ordinal);
        if (type == typeof(uint)) return GetUInt32(ordinal);
        if (type == typeof(ulong)) return GetUInt64(ordinal);
        if (type == typeof(DateOnly)) return GetDateOnly(ordinal);
        if (type == typeof(TimeOnly)) return GetTimeOnly(ordinal);
        if (type == typeof(TimeSpan)) return GetTimeSpan(ordinal);
        if (type == typeof(Guid)) return GetGuid(ordinal);
        if (type == typeof(char)) return GetChar(ordinal);
        if (type.IsEnum)
        {
            var value = GetValue(ordinal);
            return value is string name ? Enum.Parse(type, name, ignoreCase: true) : Enum.ToObject(type, value);
        }
        return Convert.ChangeType(GetValue(ordinal), type, System.Globalization.CultureInfo.InvariantCulture);
    }

    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => Task.FromResult(GetFieldValue<T>(ordinal));

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override DataTable GetSchemaTable() => throw new NotSupportedException("GetSchemaTable is not supported by this driver.");

    private static InvalidOperationException Closed() => new("The data reader is closed.");
}
#pragma warning restore CA1010, CA2201
