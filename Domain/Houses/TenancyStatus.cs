namespace Linli.Domain.Houses;

/// <summary>
/// A tenancy's life: a landlord's or staff member's registration starts <see cref="Active"/>; a tenant's own
/// registration (by scanning) starts <see cref="Pending"/> until the landlord confirms or declines it.
/// Pending and active tenancies are "open": one person holds at most one open tenancy per house.
/// </summary>
public enum TenancyStatus
{
    Pending,
    Active,
    Declined,
    MovedOut,
}
