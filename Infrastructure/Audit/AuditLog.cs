using System.Data.Common;
using Dapper;

namespace Linli.Infrastructure.Audit;

/// <summary>What was done to which record, as written to <c>audit_log</c>.</summary>
public static class AuditActions
{
    /// <summary>A staff member read a tenant's full identity number and phone.</summary>
    public const string TenancyDocumentRead = "tenancy.document_read";

    /// <summary>A staff member looked a person up by document number (以人找房).</summary>
    public const string TenancyLookup = "tenancy.lookup";

    /// <summary>A staff member read a household's members' full ID numbers and phones.</summary>
    public const string HouseholdPersonalDataRead = "household.personal_data_read";
}

public sealed record AuditEntry(long Id, long ActorId, string Action, string SubjectType, long? SubjectId, byte[]? LookupHash, string Reason, DateTime At);

/// <summary>
/// The audit log of full reads of personal data and look-ups by personal numbers: who, when, which record, why. Written in the same
/// transaction as the read it records, so there is never a read without its row.
/// </summary>
public static class AuditLog
{
    public static Task WriteAsync(DbConnection connection, DbTransaction transaction,
        long actorId, string action, string subjectType, long subjectId, string reason, DateTimeOffset at, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor_id, action, subject_type, subject_id, reason, at)
            VALUES (@actorId, @action, @subjectType, @subjectId, @reason, @at)
            """, new { actorId, action, subjectType, subjectId, reason, at = at.UtcDateTime }, transaction, cancellationToken: ct));

    /// <summary>A look-up by a personal number: no single subject, the number's keyed hash instead (never the number).</summary>
    public static Task WriteLookupAsync(DbConnection connection, DbTransaction transaction,
        long actorId, string action, string subjectType, byte[] lookupHash, string reason, DateTimeOffset at, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor_id, action, subject_type, subject_id, lookup_hash, reason, at)
            VALUES (@actorId, @action, @subjectType, NULL, @lookupHash, @reason, @at)
            """, new { actorId, action, subjectType, lookupHash, reason, at = at.UtcDateTime }, transaction, cancellationToken: ct));

    /// <summary>Newest first; <paramref name="beforeId"/> continues a page.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(DbConnection connection,
        string? subjectType, long? subjectId, long? beforeId, int limit, CancellationToken ct) =>
        (await connection.QueryAsync<AuditEntry>(new CommandDefinition("""
            SELECT id AS Id, actor_id AS ActorId, action AS Action, subject_type AS SubjectType,
                   subject_id AS SubjectId, lookup_hash AS LookupHash, reason AS Reason, at AS At
            FROM audit_log
            WHERE (@subjectType IS NULL OR (subject_type = @subjectType AND (@subjectId IS NULL OR subject_id = @subjectId)))
              AND (@beforeId IS NULL OR id < @beforeId)
            ORDER BY id DESC
            LIMIT @limit
            """, new { subjectType, subjectId, beforeId, limit }, cancellationToken: ct))).ToList();
}
