namespace Linli.Domain.Houses;

/// <summary>What a house is used for. Only rental houses count towards rooms free and rented houses.</summary>
public enum HouseUse
{
    Rental,
    OwnUse,
    Vacant,
}
