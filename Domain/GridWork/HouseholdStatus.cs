namespace Linli.Domain.GridWork;

/// <summary>
/// A household a resident registered waits for the grid worker to confirm it (pending); one a grid worker or
/// community staff registered during a visit is confirmed at once.
/// </summary>
public enum HouseholdStatus
{
    Pending,
    Confirmed,
}

/// <summary>How the household lives in the house.</summary>
public enum Occupancy
{
    OwnerOccupied,
    Tenancy,
}

/// <summary>How a visit (民情日志 entry) was made.</summary>
public enum VisitKind
{
    Visit,
    Phone,
    Meeting,
}
