namespace Switchyard.Storage.Migrations;

/// <summary>One schema change: a numbered SQL file shipped inside the assembly.</summary>
/// <param name="Version">Its number (the file name's leading digits); applied in ascending order.</param>
/// <param name="Name">The file name without extension, e.g. <c>0001_requests</c>.</param>
/// <param name="Sql">The statements (line endings normalised to <c>\n</c>).</param>
/// <param name="Sha256">Hex SHA-256 of <paramref name="Sql"/>: a file changed after it was applied is refused.</param>
public sealed record Migration(int Version, string Name, string Sql, string Sha256);
