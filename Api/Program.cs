using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Linli.Api.Auth;
using Linli.Api.StaffConsole;
using Linli.Api.Demo;
using Linli.Api.GridWork;
using Linli.Api.Homes;
using Linli.Api.Notices;
using Linli.Api.Hosting;
using Linli.Api.PartyMembers;
using Linli.Api.Stats;
using Linli.Api.Tickets;
using Linli.Api.Houses;
using Linli.Api.Tenancies;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

// `dotnet Api.dll migrate | seed-demo | grant-admin <openid>` runs one command and exits (Api/Hosting/Commands.cs).
var (command, commandArgs, hostArgs) = Commands.Split(args);
var builder = WebApplication.CreateBuilder(hostArgs);
if (StartupValidation.Refusal(builder.Configuration, builder.Environment) is { } refusal)
{
    await Console.Error.WriteLineAsync(refusal);
    return 1;
}

var connectionString = builder.Configuration.GetConnectionString("Main")!;
// The one line that chooses the ADO.NET provider.
builder.Services.AddSingleton<DbDataSource>(_ => LinliDataSource.Create(connectionString));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<MigrationRunner>();
builder.Services.AddSingleton<IHostCommand, MigrateCommand>();
builder.Services.AddSingleton(sp => new FieldProtector(
    builder.Configuration.GetSection("FieldProtection").Get<FieldProtectionOptions>() ?? new FieldProtectionOptions()));

builder.Services.ConfigureHttpJsonOptions(o =>
{
    // Enums travel as exactly one snake_case name: a number would bind to any value, defined or not, and reach the database.
    o.SerializerOptions.Converters.Add(new SnakeCaseEnumConverter());
    // Chinese as UTF-8, not \uXXXX: the default encoder escapes every character outside Basic Latin, which doubles the
    // size of Chinese text on a phone's connection and made writing a list page of twenty Chinese tickets take 48 µs
    // instead of 11 µs. What could break out of a JSON string or be read as markup (<, >, &, quotes, controls) is
    // still escaped: that part of the encoder does not depend on the ranges allowed.
    o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
});
builder.AddLinliHosting();
builder.AddLinliTelemetry();
builder.Services.AddLinliDemo(builder.Configuration);
builder.Services.AddPartyMembers();
builder.Services.AddTicketStats(builder.Configuration);

builder.Services.Configure<JwtOptions>(builder.Configuration.GetSection(JwtOptions.Section));
builder.Services.AddSingleton<AccessTokenIssuer>();
var jwt = builder.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
{
    o.MapInboundClaims = false;
    o.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = jwt.Issuer,
        ValidAudience = jwt.Audience,
        IssuerSigningKey = AccessTokenIssuer.SigningKey(jwt),
        // Only the algorithm AccessTokenIssuer signs with: no "none", no other HMAC size under the same key.
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = AuthClaims.UserId,
        RoleClaimType = AuthClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
});
builder.Services.AddAuthorization(Policies.Add);
builder.Services.AddHouses(builder.Configuration);
builder.Services.AddIdentityFeature(builder.Configuration, builder.Environment);
builder.Services.AddSingleton<IHostCommand, GrantAdminHostCommand>();
builder.Services.AddTicketsFeature(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddGridWork(builder.Configuration);
builder.Services.AddNotices(builder.Configuration);
builder.Services.AddSingleton<ConsoleActionForms>();

var app = builder.Build();

if (command is not null)
    return await Commands.RunAsync(app.Services, command, commandArgs);

await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync();

app.UseLinliHosting();

app.MapHealth();
app.MapHouses();
app.MapTenancies();
app.MapPopulation();
app.MapPartyMembers();
app.MapTicketStats();
app.MapIdentityFeature();
app.MapConsoleSessions();
app.MapConsole();
app.MapTicketsFeature();
app.MapGridWork();
app.MapHomes();
app.MapNotices();

await app.RunAsync();
return 0;

public partial class Program;
