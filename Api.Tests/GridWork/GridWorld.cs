using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Api.GridWork;
using Linli.Api.Houses;
using Linli.Api.Tests.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Houses;

namespace Linli.Api.Tests.GridWork;

/// <summary>A <see cref="HouseWorld"/> (one community, two grids, staff and workers) with helpers that register households through the API.</summary>
public static class GridWorld
{
    public static object Member(string name, MemberRelation relation, string? idNumber = null, string? phone = null, params HouseholdTag[] tags) =>
        new { name, relation, idNumber, phone, tags };

    public static object Body(Occupancy occupancy = Occupancy.OwnerOccupied, params object[] members) =>
        new { occupancy, members = members.Length > 0 ? members : [Member("王秀英", MemberRelation.Head, People.IdNumber(), People.Phone(), HouseholdTag.ElderlyAlone)] };

    /// <summary>A house of the world (its owner known by phone only), in its first grid unless told otherwise.</summary>
    public static Task<HouseDto> HouseAsync(HouseWorld world, long? gridId = null, HouseUse use = HouseUse.OwnUse) =>
        world.HouseAsync(null, use, gridId: gridId, landlordPhone: People.Phone());

    /// <summary>POST /api/v1/visits as the mini-program sends it: with an Idempotency-Key, a fresh one unless given.</summary>
    public static Task<HttpResponseMessage> LogVisitAsync(HttpClient by, object body, JsonSerializerOptions json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/visits") { Content = JsonContent.Create(body, options: json) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return by.SendAsync(request);
    }

    public static async Task<HouseholdDto> RegisterAsync(HttpClient by, HouseDto house, object? body = null)
    {
        var response = await by.PostAsJsonAsync($"/api/v1/h/{house.Code}/households", body ?? Body(), HousesApp.Json);
        return await HouseWorld.ReadAsync<HouseholdDto>(response, HttpStatusCode.Created);
    }
}
