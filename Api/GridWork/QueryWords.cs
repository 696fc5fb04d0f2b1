using Linli.Api.Houses;
using Linli.Domain.GridWork;

namespace Linli.Api.GridWork;

/// <summary>
/// The snake_case names query strings accept for grid work's enums (minimal APIs would bind a query enum by its C#
/// name, any casing, or by number): checked by <see cref="Hosting.OneOfAttribute"/>, then read with <see cref="DbEnum"/>.
/// </summary>
public static class QueryWords
{
    public static readonly IReadOnlyList<string> Tags = Enum.GetValues<HouseholdTag>().Select(DbEnum.Name).ToList();
    public static readonly IReadOnlyList<string> HouseholdStatuses = Enum.GetValues<HouseholdStatus>().Select(DbEnum.Name).ToList();
}
