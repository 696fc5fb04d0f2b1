using System.Data.Common;
using System.Text.Json.Serialization;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.PartyMembers;
using Linli.Api.Stats;
using Linli.Api.Tickets;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Data;
using Linli.Infrastructure.MySql;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

var builder = WebApplication.CreateBuilder(args);

var connectionString = builder.Configuration.GetConnectionString("Main")
    ?? throw new InvalidOperationException("ConnectionStrings:Main is not set.");
// The one line that chooses the ADO.NET provider.
builder.Services.AddSingleton<DbDataSource>(_ => new MySqlDataSource(connectionString));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<MigrationRunner>();
builder.Services.AddSingleton(sp => new FieldProtector(
    builder.Configuration.GetSection("FieldProtection").Get<FieldProtectionOptions>() ?? new FieldProtectionOptions()));

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
});
builder.Services.AddProblemDetails();
builder.Services.AddPartyMembers();
builder.Services.AddTicketStats();

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
        NameClaimType = AuthClaims.UserId,
        RoleClaimType = AuthClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
});
builder.Services.AddAuthorization(Policies.Add);
builder.Services.AddIdentityFeature(builder.Configuration, builder.Environment);
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen();
builder.Services.AddTicketsFeature(builder.Configuration, builder.Environment.ContentRootPath);

var app = builder.Build();

await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync();
if (await app.RunIdentityCommandAsync(args))
    return;

app.UseExceptionHandler();
app.UseSwagger();
app.UseSwaggerUI();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
app.MapPartyMembers();
app.MapTicketStats();
app.MapIdentityFeature();
app.MapTicketsFeature();

app.Run();

public partial class Program;
