using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.GridWork;

/// <summary>Members checked and normalised, ready to store: what the annotations cannot say (GB 11643, one head).</summary>
internal sealed record CheckedMember(string Name, MemberRelation Relation, string? IdNumber, string? Phone, IReadOnlyList<HouseholdTag> Tags);

/// <summary>The households queries several endpoints share: reading one, writing its members and tag hashes.</summary>
internal static class HouseholdStore
{
    /// <summary>
    /// The rules of a member list the annotations cannot express: a valid identity number and phone, exactly one
    /// head. Field names are the JSON paths (<c>members[1].idNumber</c>).
    /// </summary>
    public static (IReadOnlyList<CheckedMember> Members, Dictionary<string, string[]> Errors) Check(HouseholdRequest body, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var members = new List<CheckedMember>();
        for (var i = 0; i < body.Members.Count; i++)
        {
            var m = body.Members[i];
            if (m is null)
            {
                errors[$"members[{i}]"] = ["A member, not null."];
                continue;
            }
            string? number = null, phone = null;
            if (!string.IsNullOrWhiteSpace(m.IdNumber))
            {
                number = IdentityDocument.Normalise(m.IdNumber);
                if (IdentityNumber.Problem(number, today) is { } problem)
                    errors[$"members[{i}].idNumber"] = [problem];
            }
            if (!string.IsNullOrWhiteSpace(m.Phone))
            {
                phone = PhoneNumber.Normalise(m.Phone);
                if (PhoneNumber.Problem(phone) is { } problem)
                    errors[$"members[{i}].phone"] = [problem];
            }
            members.Add(new CheckedMember(m.Name.Trim(), m.Relation!.Value, number, phone, (m.Tags ?? []).Distinct().Order().ToList()));
        }
        if (members.Count(m => m.Relation == MemberRelation.Head) != 1)
            errors["members"] = ["Exactly one member is the head of the household (relation head)."];
        return (members, errors);
    }

    public static async Task<HouseholdRow?> ReadAsync(DbConnection connection, DbTransaction? transaction, Caller caller, long id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<HouseholdRow>(new CommandDefinition($$"""
            SELECT {{HouseholdRow.Columns}}
            {{HouseholdRow.From}}
            WHERE hh.id = @id
            """, caller.With(new { id }), transaction, cancellationToken: ct));

    public static async Task<IReadOnlyList<MemberRow>> MembersAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<long> householdIds, CancellationToken ct) =>
        householdIds.Count == 0 ? [] : (await connection.QueryAsync<MemberRow>(new CommandDefinition("""
            SELECT household_id, position, name, relation, id_cipher, phone_cipher, tags_cipher
            FROM household_members WHERE household_id IN @householdIds ORDER BY household_id, position
            """, new { householdIds }, transaction, cancellationToken: ct))).ToList();

    /// <summary>Replaces the members and the tag hashes of a household, inside the caller's transaction.</summary>
    public static async Task WriteMembersAsync(DbConnection connection, DbTransaction transaction, FieldProtector protector,
        long householdId, IReadOnlyList<CheckedMember> members, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM household_members WHERE household_id = @householdId", new { householdId }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM household_tags WHERE household_id = @householdId", new { householdId }, transaction, cancellationToken: ct));
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO household_members (household_id, position, name, relation, id_cipher, id_hash, phone_cipher, phone_hash, tags_cipher)
                VALUES (@householdId, @position, @name, @relation, @idCipher, @idHash, @phoneCipher, @phoneHash, @tagsCipher)
                """, new
            {
                householdId, position = i, name = m.Name, relation = DbEnum.Name(m.Relation),
                idCipher = m.IdNumber is null ? null : protector.Encrypt(m.IdNumber),
                idHash = m.IdNumber is null ? null : protector.Hash(m.IdNumber),
                phoneCipher = m.Phone is null ? null : protector.Encrypt(m.Phone),
                phoneHash = m.Phone is null ? null : protector.Hash(m.Phone),
                tagsCipher = protector.Encrypt(HouseholdTags.Pack(m.Tags)),
            }, transaction, cancellationToken: ct));
        }
        foreach (var tag in members.SelectMany(m => m.Tags).Distinct())
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO household_tags (household_id, tag_hash) VALUES (@householdId, @tagHash)",
                new { householdId, tagHash = TagHash(protector, tag) }, transaction, cancellationToken: ct));
        }
    }

    public static byte[] TagHash(FieldProtector protector, HouseholdTag tag) => protector.Hash(HouseholdTags.LookupKey(tag));
}
