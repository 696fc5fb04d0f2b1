namespace Linli.Domain.People;

/// <summary>The identity documents a tenant can be registered with.</summary>
public enum DocumentType
{
    /// <summary>居民身份证: 18 characters, GB 11643 check digit.</summary>
    MainlandIdCard,
    Passport,
    /// <summary>港澳居民来往内地通行证 (home return permit): H or M and 8 (or 10) digits.</summary>
    HongKongMacauPermit,
    /// <summary>台湾居民来往大陆通行证: 8 (or 10) digits.</summary>
    TaiwanPermit,
}
