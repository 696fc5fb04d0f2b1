using System.Security.Cryptography;
using System.Text;

namespace Linli.Infrastructure.Crypto;

/// <summary>Keys for personal data: AES-256-GCM keys by id (the first is current), and one HMAC key for look-ups.</summary>
public sealed class FieldProtectionOptions
{
    /// <summary>Key id → base64 32-byte key. New data is written with <see cref="CurrentKeyId"/>; older ids stay readable.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];
    public string CurrentKeyId { get; set; } = "";
    /// <summary>Base64 32-byte key for the keyed hash that serves exact look-ups (phone, identity number).</summary>
    public string HashKey { get; set; } = "";
}

/// <summary>
/// Encrypts personal fields at rest. The stored envelope is
/// <c>[key id length][key id][12-byte nonce][16-byte tag][ciphertext]</c>, so keys can rotate:
/// new writes use the current key, old rows still name the key that can open them.
/// </summary>
public sealed class FieldProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _currentKeyId;
    private readonly byte[] _hashKey;

    public FieldProtector(FieldProtectionOptions options)
    {
        _keys = options.Keys.ToDictionary(k => k.Key, k => DecodeKey(k.Value, $"FieldProtection:Keys:{k.Key}"), StringComparer.Ordinal);
        if (!_keys.ContainsKey(options.CurrentKeyId))
            throw new InvalidOperationException("FieldProtection:CurrentKeyId must name one of FieldProtection:Keys.");
        if (options.CurrentKeyId.Length is 0 or > 32)
            throw new InvalidOperationException("FieldProtection:CurrentKeyId must be 1–32 characters.");
        _currentKeyId = options.CurrentKeyId;
        _hashKey = DecodeKey(options.HashKey, "FieldProtection:HashKey");
    }

    public byte[] Encrypt(string plaintext)
    {
        var keyId = Encoding.ASCII.GetBytes(_currentKeyId);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var envelope = new byte[1 + keyId.Length + NonceSize + TagSize + plain.Length];
        envelope[0] = (byte)keyId.Length;
        keyId.CopyTo(envelope, 1);
        var nonce = envelope.AsSpan(1 + keyId.Length, NonceSize);
        var tag = envelope.AsSpan(1 + keyId.Length + NonceSize, TagSize);
        var cipher = envelope.AsSpan(1 + keyId.Length + NonceSize + TagSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_currentKeyId], TagSize);
        // The key id is authenticated too, so an envelope can't be re-labelled to another key.
        aes.Encrypt(nonce, plain, cipher, tag, keyId);
        return envelope;
    }

    public string Decrypt(byte[] envelope)
    {
        var idLength = envelope[0];
        var keyIdBytes = envelope.AsSpan(1, idLength);
        var keyId = Encoding.ASCII.GetString(keyIdBytes);
        if (!_keys.TryGetValue(keyId, out var key))
            throw new CryptographicException($"No key '{keyId}' is configured to decrypt this field.");
        var nonce = envelope.AsSpan(1 + idLength, NonceSize);
        var tag = envelope.AsSpan(1 + idLength + NonceSize, TagSize);
        var cipher = envelope.AsSpan(1 + idLength + NonceSize + TagSize);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(nonce, cipher, tag, plain, keyIdBytes);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>HMAC-SHA256 of the normalised value: equal inputs give equal hashes, so it can be indexed and compared.</summary>
    public byte[] Hash(string normalisedValue) => HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(normalisedValue));

    private static byte[] DecodeKey(string base64, string setting)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64); }
        catch (FormatException) { throw new InvalidOperationException($"{setting} must be a base64 32-byte key."); }
        if (key.Length != 32)
            throw new InvalidOperationException($"{setting} must be a base64 32-byte key.");
        return key;
    }
}
