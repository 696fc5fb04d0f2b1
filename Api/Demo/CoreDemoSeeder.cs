using Dapper;
using Linli.Domain.Identity;

namespace Linli.Api.Demo;

/// <summary>The street office's two communities, their grids, the departments, and the demo users with their roles.</summary>
public sealed class CoreDemoSeeder : IDemoSeeder
{
    public string Name => "core";
    public int Order => 0;

    public async Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken)
    {
        var (c, tx, now) = (context.Connection, context.Transaction, context.Now);
        // The migration that made street offices a level may already have created this one from older demo data.
        var streetOfficeId = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO street_offices (name, area, is_active, created_at, updated_at)
            VALUES (@name, @area, 1, @now, @now)
            ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
            SELECT LAST_INSERT_ID();
            """, new { name = DemoData.StreetOffice, area = DemoData.StreetOfficeArea, now }, tx, cancellationToken: cancellationToken));
        foreach (var community in DemoData.Communities)
        {
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO communities (name, street_office_id, is_active, created_at, updated_at)
                VALUES (@community, @streetOfficeId, 1, @now, @now)
                """, new { community, streetOfficeId, now }, tx, cancellationToken: cancellationToken));
            var communityId = await context.CommunityIdAsync(community);
            var households = 220;
            foreach (var grid in DemoData.Grids)
            {
                await c.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO grids (community_id, name, households, is_active, created_at, updated_at)
                    VALUES (@communityId, @grid, @households, 1, @now, @now)
                    """, new { communityId, grid, households, now }, tx, cancellationToken: cancellationToken));
                households += 30;
            }
        }
        foreach (var (name, kind) in DemoData.Departments)
        {
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO departments (name, kind, is_active, created_at, updated_at) VALUES (@name, @kind, 1, @now, @now)
                """, new { name, kind, now }, tx, cancellationToken: cancellationToken));
        }
        foreach (var user in DemoData.Users)
        {
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO users (openid, nickname, created_at, updated_at) VALUES (@openId, @nickname, @now, @now)
                """, new { user.OpenId, user.Nickname, now }, tx, cancellationToken: cancellationToken));
            if (user.Role == Roles.Resident)
                continue;
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO user_roles (user_id, role, community_id, grid_id, department_id, street_office_id, granted_at)
                VALUES (@userId, @role, @communityId, @gridId, @departmentId, @streetOfficeId, @now)
                """, new
                {
                    userId = await context.UserIdAsync(user.Name),
                    role = user.Role,
                    communityId = user.Community is null ? (long?)null : await context.CommunityIdAsync(user.Community),
                    gridId = user.Grid is null ? (long?)null : await context.GridIdAsync(user.Community!, user.Grid),
                    departmentId = user.Department is null ? (long?)null : await context.DepartmentIdAsync(user.Department),
                    streetOfficeId = user.Role == Roles.StreetLeader ? streetOfficeId : (long?)null,
                    now,
                }, tx, cancellationToken: cancellationToken));
        }
    }
}
