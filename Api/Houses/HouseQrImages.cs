using System.Data.Common;
using Dapper;
using Linli.Infrastructure.Qr;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.Options;
using Linli.Api.Hosting;

namespace Linli.Api.Houses;

/// <summary>
/// The picture that goes on a house's door. With WeChat Live it is the mini-program code from
/// <c>getwxacodeunlimit</c> (scene = house code), fetched once and kept in <c>house_qr_images</c>;
/// in Simulated mode, or with <c>Qr:UseStandardQr</c>, a standard QR code of <c>https://{Qr:Host}/h/{code}</c>.
/// </summary>
public sealed partial class HouseQrImages(
    RequestConnection db, IOptions<QrOptions> options, IOptions<WechatOptions> wechatOptions, IWechatClient wechat,
    TimeProvider clock, ILogger<HouseQrImages> logger)
{
    public QrOptions Options => options.Value;

    /// <summary>True when codes come from WeChat (and so are PNGs to embed), false when drawn locally.</summary>
    public bool UsesWechat =>
        !options.Value.UseStandardQr && wechatOptions.Value.Mode == WechatMode.Live;

    public async Task<byte[]> PngAsync(long houseId, string code, CancellationToken ct)
    {
        if (!UsesWechat)
            return StandardQrCode.Png(options.Value.LinkFor(code));

        var connection = await db.OpenAsync(ct);
        var cached = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT png FROM house_qr_images WHERE house_id = @houseId AND page = @page",
            new { houseId, page = options.Value.Page }, cancellationToken: ct));
        if (cached is not null)
            return cached;

        byte[] png;
        try
        {
            png = await wechat.GetUnlimitedQrCodeAsync(code, options.Value.Page, ct);
        }
        catch (WechatException e)
        {
            LogWechatFailed(houseId, e.ErrCode);
            throw;
        }
        // REPLACE: a page changed in configuration leaves an old image that this one supersedes; two
        // concurrent first fetches store the same picture twice, harmlessly.
        await connection.ExecuteAsync(new CommandDefinition("""
            REPLACE INTO house_qr_images (house_id, page, png, created_at) VALUES (@houseId, @page, @png, @now)
            """, new { houseId, page = options.Value.Page, png, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return png;
    }

    /// <summary>WeChat's codes come as JPEG or PNG; the bytes say which.</summary>
    public static string ContentType(byte[] image) =>
        image is [0xFF, 0xD8, ..] ? "image/jpeg" : "image/png";

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat refused the mini-program code for house {HouseId} (errcode {ErrCode})")]
    private partial void LogWechatFailed(long houseId, int? errCode);
}
