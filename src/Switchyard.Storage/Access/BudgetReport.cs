using Switchyard.Access;
using static Switchyard.Storage.Access.AccessSql;

namespace Switchyard.Storage.Access;

/// <summary>One budget with what has been spent and is held against it in its current period.</summary>
/// <param name="ScopeKind"><c>key</c>, <c>team</c> or <c>global</c>.</param>
/// <param name="ScopeId">The key's id, the team's id, or <see cref="KeyStore.GlobalScopeId"/>.</param>
/// <param name="Period"><c>daily</c>, <c>monthly</c> or <c>total</c>.</param>
/// <param name="LimitUsd">The limit in dollars.</param>
/// <param name="PeriodStart">When the current period began (UTC).</param>
/// <param name="SpentUsd">Settled spend in the current period, in dollars.</param>
/// <param name="ReservedUsd">Holds of requests in flight in the current period, in dollars.</param>
public sealed record BudgetUsage(string ScopeKind, string ScopeId, string Period, decimal LimitUsd, DateTimeOffset PeriodStart, decimal SpentUsd, decimal ReservedUsd);

/// <summary>Reads the current period's spend and holds of budgets (tables <c>budgets</c> and <c>budget_usage</c>).</summary>
public static class BudgetReport
{
    private const decimal NanoPerUsd = 1_000_000_000m;

    /// <summary>
    /// The budgets of a key and of its team, each with its spend and holds in the period containing
    /// <paramref name="now"/> (zero when nothing was recorded yet); key budgets first, each scope in period order.
    /// </summary>
    /// <param name="database">The store's database.</param>
    /// <param name="keyId">The key's id.</param>
    /// <param name="teamId">Its team's id, or null for none (or a deleted team).</param>
    /// <param name="now">The current time; periods start at UTC midnight, the 1st of the month, or the epoch.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public static async Task<IReadOnlyList<BudgetUsage>> ForKeyAsync(StoreDatabase database, string keyId, string? teamId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(keyId);
        var daily = BudgetPeriods.StartOf(BudgetPeriods.Daily, now);
        var monthly = BudgetPeriods.StartOf(BudgetPeriods.Monthly, now);
        var total = BudgetPeriods.StartOf(BudgetPeriods.Total, now);
        const string Sql =
            "SELECT b.scope_kind, b.scope_id, b.period, b.limit_nanousd, COALESCE(u.spent_nanousd, 0), COALESCE(u.reserved_nanousd, 0)"
            + " FROM budgets b LEFT JOIN budget_usage u ON u.budget_id = b.id AND u.period_start_ms ="
            + " CASE b.period WHEN 'daily' THEN @daily WHEN 'monthly' THEN @monthly ELSE @total END"
            + " WHERE (b.scope_kind = 'key' AND b.scope_id = @key) OR (b.scope_kind = 'team' AND b.scope_id = @team)";
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, Sql)
                .WithInt64("@daily", UnixMs(daily)).WithInt64("@monthly", UnixMs(monthly)).WithInt64("@total", UnixMs(total))
                .WithText("@key", keyId).WithText("@team", teamId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var usage = new List<BudgetUsage>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var period = reader.GetString(2);
                    var start = period switch
                    {
                        BudgetPeriods.Daily => daily,
                        BudgetPeriods.Monthly => monthly,
                        _ => total,
                    };
                    usage.Add(new BudgetUsage(reader.GetString(0), reader.GetString(1), period, Int64(reader, 3) / NanoPerUsd, start, Int64(reader, 4) / NanoPerUsd, Int64(reader, 5) / NanoPerUsd));
                }

                return [.. usage.OrderBy(u => u.ScopeKind == "key" ? 0 : 1).ThenBy(u => PeriodRank(u.Period))];
            }
        }
    }
}
