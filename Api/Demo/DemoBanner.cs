using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Linli.Api.Demo;

/// <summary>
/// With <c>Demo:PrintSignIn=true</c> (set by <c>./run</c>), prints the Swagger UI address and the demo
/// sign-in codes once the server listens, so they are the last thing on the screen.
/// </summary>
public sealed class DemoBanner(IServer server, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            Console.WriteLine($"""

                Linli is running on {address}
                  Swagger UI:  {address}/swagger
                  Console:     {address}/console/  (staff: pick a demo account, or scan its code with the mini-program)
                  Readiness:   {address}/health/ready
                {SignInTable()}
                Ctrl-C stops the API; ./run stop stops the database; ./run reset wipes the local data.
                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string SignInTable()
    {
        var text = new StringBuilder();
        text.AppendLine("Demo sign-in (Simulated WeChat): POST /api/v1/auth/wechat-login with {\"code\": \"sim:admin\"} (or another");
        text.AppendLine("code below), then press Authorize in Swagger UI and paste the accessToken it returns.");
        text.AppendLine($"  {"login code",-24} {"role",-17} who");
        foreach (var user in DemoData.Users)
            text.AppendLine($"  {user.LoginCode,-24} {user.Role,-17} {user.Nickname} {user.Scope}".TrimEnd());
        return text.ToString().TrimEnd();
    }
}
