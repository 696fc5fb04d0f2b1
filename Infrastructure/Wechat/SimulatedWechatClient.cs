using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Linli.Infrastructure.Wechat;

/// <summary>
/// WeChat answered locally, for <c>./run</c> and tests (<c>Wechat:Mode=Simulated</c>):
/// <list type="bullet">
/// <item>login code <c>sim:&lt;name&gt;</c> signs in the openid <c>sim-&lt;name&gt;</c>; <c>sim-error:&lt;errcode&gt;</c> fails with that errcode; anything else is 40029;</item>
/// <item>every phone code gives <see cref="WechatOptions.SimulatedPhoneNumber"/> (<c>+852 61234567</c> for one outside the mainland); <c>sim-error:&lt;errcode&gt;</c> fails likewise;</item>
/// <item>mini-program codes are plain QR codes (PNG) of <c>linli-sim://&lt;page&gt;?scene=&lt;scene&gt;</c>, drawn here;</item>
/// <item>subscribe messages are recorded in <c>wechat_simulated_messages</c> instead of sent;</item>
/// <item>text checks pass, except text containing <see cref="RiskyMarker"/> (risky, label 20001) or <see cref="ReviewMarker"/> (review, label 21000),
/// so features can test what they do with flagged content.</item>
/// </list>
/// </summary>
public sealed class SimulatedWechatClient(DbDataSource db, TimeProvider clock, IOptions<WechatOptions> options) : IWechatClient
{
    public const string LoginPrefix = "sim:";
    public const string ErrorPrefix = "sim-error:";
    public const string RiskyMarker = "[risky]";
    public const string ReviewMarker = "[review]";

    public Task<WechatSession> Code2SessionAsync(string code, CancellationToken cancellationToken)
    {
        ThrowIfSimulatedError(code);
        if (!code.StartsWith(LoginPrefix, StringComparison.Ordinal) || code.Length == LoginPrefix.Length || code.Length > 60)
            throw new WechatException(WechatErrors.InvalidCode, "The WeChat code is invalid or was already used; sign in again.");
        var name = code[LoginPrefix.Length..];
        return Task.FromResult(new WechatSession("sim-" + name, null, "simulated-session-key"));
    }

    public Task<WechatPhone> GetPhoneNumberAsync(string code, string? openId, CancellationToken cancellationToken)
    {
        ThrowIfSimulatedError(code);
        var (countryCode, pure) = options.Value.SimulatedPhoneNumber.Split(' ', 2) is [['+', .. var country], var number]
            ? (country, number)
            : (WechatPhone.MainlandChina, options.Value.SimulatedPhoneNumber);
        var phoneNumber = countryCode == WechatPhone.MainlandChina ? pure : $"+{countryCode} {pure}";
        return Task.FromResult(new WechatPhone(phoneNumber, pure, countryCode));
    }

    public Task<byte[]> GetUnlimitedQrCodeAsync(string scene, string page, CancellationToken cancellationToken)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode($"linli-sim://{page}?scene={scene}", QRCodeGenerator.ECCLevel.M);
        return Task.FromResult(new PngByteQRCode(data).GetGraphic(8));
    }

    public async Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO wechat_simulated_messages (to_openid, template_id, page, data_json, sent_at)
            VALUES (@ToOpenId, @TemplateId, @Page, @data, @now)
            """, new { message.ToOpenId, message.TemplateId, message.Page, data = JsonSerializer.Serialize(message.Data), now = clock.GetUtcNow().UtcDateTime },
            cancellationToken: cancellationToken));
    }

    public Task<ContentCheckResult> CheckTextAsync(string openid, string content, int scene, CancellationToken cancellationToken)
    {
        var result = content.Contains(RiskyMarker, StringComparison.Ordinal) ? new ContentCheckResult(ContentSuggestion.Risky, 20001, "sim-trace")
            : content.Contains(ReviewMarker, StringComparison.Ordinal) ? new ContentCheckResult(ContentSuggestion.Review, 21000, "sim-trace")
            : new ContentCheckResult(ContentSuggestion.Pass, 100, "sim-trace");
        return Task.FromResult(result);
    }

    private static void ThrowIfSimulatedError(string code)
    {
        if (code.StartsWith(ErrorPrefix, StringComparison.Ordinal) && int.TryParse(code[ErrorPrefix.Length..], out var errCode))
            throw new WechatException(errCode, $"Simulated WeChat failure (errcode {errCode}).");
    }
}
