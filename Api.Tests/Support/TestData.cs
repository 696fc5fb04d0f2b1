using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Support;

/// <summary>
/// Creates rows straight in the database for a test's own use. Every name is unique, so tests
/// never see each other's data and can run in any order.
/// </summary>
public sealed class TestData(LinliFactory factory)
{
    private DbDataSource Db => factory.Services.GetRequiredService<DbDataSource>();
    private DateTime Now => factory.Clock.GetUtcNow().UtcDateTime;

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A community of <paramref name="streetOfficeId"/>, or of the shared test street office.</summary>
    public async Task<long> CommunityAsync(string? name = null, long? streetOfficeId = null)
    {
        streetOfficeId ??= await StreetOfficeAsync("测试街道");
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO communities (name, street_office_id, is_active, created_at, updated_at)
            VALUES (@name, @streetOfficeId, 1, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { name = name ?? Unique("社区"), streetOfficeId, now = Now });
    }

    /// <summary>The street office of that name, created if missing (a unique one when no name is given).</summary>
    public async Task<long> StreetOfficeAsync(string? name = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO street_offices (name, is_active, created_at, updated_at) VALUES (@name, 1, @now, @now)
            ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
            SELECT LAST_INSERT_ID();
            """, new { name = name ?? Unique("街道"), now = Now });
    }

    public async Task<long> GridAsync(long communityId, string? name = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO grids (community_id, name, is_active, created_at, updated_at)
            VALUES (@communityId, @name, 1, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { communityId, name = name ?? Unique("网格"), now = Now });
    }

    public async Task<long> DepartmentAsync(string? name = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO departments (name, kind, is_active, created_at, updated_at)
            VALUES (@name, 'functional', 1, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { name = name ?? Unique("部门"), now = Now });
    }

    public async Task<long> UserAsync(string? nickname = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO users (openid, nickname, created_at, updated_at) VALUES (@openid, @nickname, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { openid = Unique("test"), nickname = nickname ?? "测试用户", now = Now });
    }

    public async Task GrantAsync(long userId, string role, long? communityId = null, long? gridId = null, long? departmentId = null,
        long? streetOfficeId = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        await c.ExecuteAsync("""
            INSERT INTO user_roles (user_id, role, community_id, grid_id, department_id, street_office_id, granted_at)
            VALUES (@userId, @role, @communityId, @gridId, @departmentId, @streetOfficeId, @now)
            """, new { userId, role, communityId, gridId, departmentId, streetOfficeId, now = Now });
    }

    /// <summary>A new user holding one scoped role, and a signed-in client for them.</summary>
    public async Task<(long UserId, HttpClient Client)> SignedInAsync(string role, long? communityId = null, long? gridId = null, long? departmentId = null)
    {
        var userId = await UserAsync();
        if (role != Roles.Resident)
            await GrantAsync(userId, role, communityId, gridId, departmentId);
        return (userId, factory.ClientFor(userId, role));
    }
}
