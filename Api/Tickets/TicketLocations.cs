using System.Globalization;

namespace Linli.Api.Tickets;

/// <summary>
/// Places as MariaDB 10.11 and MySQL 8 both read them: GeoJSON (always [longitude, latitude]) through
/// <c>ST_GeomFromGeoJSON(…, 1, 4326)</c>. WKT would not do: under SRID 4326 MySQL 8 reads it latitude first, MariaDB longitude first.
/// </summary>
public static class TicketLocations
{
    /// <summary>
    /// The radius ST_Distance_Sphere uses on both servers by default (metres), so the search box agrees with the distance.
    /// </summary>
    public const double EarthRadiusMeters = 6_370_986;

    /// <summary>SQL for the point in parameter <paramref name="parameter"/> (a GeoJSON text from <see cref="Point"/>).</summary>
    public static string Sql(string parameter) => $"ST_GeomFromGeoJSON(@{parameter}, 1, 4326)";

    public static string Point(double latitude, double longitude) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"type":"Point","coordinates":[{{longitude:R}},{{latitude:R}}]}""");

    /// <summary>A ticket reported without a location sits here (the column's default): POINT(0 0), far from every community.</summary>
    public static string Nowhere => Point(0, 0);

    /// <summary>Whether the search box around this point could hold <see cref="Nowhere"/> (twice the box's half-width, for margin).</summary>
    public static bool NearNowhere(double latitude, double longitude, double meters)
    {
        var degrees = 2 * meters * 1.1 / (EarthRadiusMeters * Math.PI / 180);
        return Math.Abs(latitude) <= degrees && Math.Abs(longitude) <= degrees;
    }

    /// <summary>
    /// A latitude/longitude box that holds every point within <paramref name="meters"/> of the centre, as a GeoJSON polygon
    /// (counter-clockwise). Wider than the circle by 10 %, so rounding never loses a point at the edge; the exact distance decides.
    /// </summary>
    public static string Box(double latitude, double longitude, double meters)
    {
        var degrees = meters * 1.1 / (EarthRadiusMeters * Math.PI / 180);
        var south = Math.Max(-90, latitude - degrees);
        var north = Math.Min(90, latitude + degrees);
        var cos = Math.Cos(Math.Max(Math.Abs(south), Math.Abs(north)) * Math.PI / 180);
        var spread = cos < 1e-6 ? 180 : Math.Min(180, degrees / cos);
        var west = Math.Max(-180, longitude - spread);
        var east = Math.Min(180, longitude + spread);
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"type":"Polygon","coordinates":[[[{{west:R}},{{south:R}}],[{{east:R}},{{south:R}}],[{{east:R}},{{north:R}}],[{{west:R}},{{north:R}}],[{{west:R}},{{south:R}}]]]}""");
    }
}
