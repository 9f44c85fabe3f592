using System.Data.Common;
using Switchyard.Configuration;
using Switchyard.Storage.Budgets;
using Switchyard.Storage.Ledger;
using Switchyard.Storage.RateLimits;
using Switchyard.Storage.Migrations;

namespace Switchyard.Storage;

/// <summary>
/// Everything Switchyard keeps in its database, opened once: the schema brought up to date, then the ledger writer.
/// One instance per gateway process; several processes may share one PostgreSQL database.
/// </summary>
public sealed class SwitchyardStore : IAsyncDisposable
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sweeper;
    private int _disposed;

    private SwitchyardStore(StoreDatabase database, DatabaseLedger ledger, BudgetStore budgets, TimeProvider time, Action<string>? log)
    {
        Database = database;
        Ledger = ledger;
        Budgets = budgets;
        RateLimits = new RateLimitStore(database, time, log);
        _sweeper = SweepAsync(time, log);
    }

    /// <summary>The database.</summary>
    public StoreDatabase Database { get; }

    /// <summary>The request ledger.</summary>
    public DatabaseLedger Ledger { get; }

    /// <summary>Budgets: reservations before paid calls (settled by the ledger).</summary>
    public BudgetStore Budgets { get; }

    /// <summary>Requests and tokens per minute, counted per second in the database so every instance sees the same window.</summary>
    public RateLimitStore RateLimits { get; }

    /// <summary>Opens the database <paramref name="options"/> configures, migrates it and starts the ledger writer.</summary>
    /// <exception cref="SwitchyardConfigurationException">The database cannot be reached, opened or migrated; the message names the key to fix.</exception>
    public static SwitchyardStore Open(SwitchyardOptions options, Func<string, string?>? getEnvironmentVariable = null, TimeProvider? timeProvider = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var database = StoreDatabase.From(options, getEnvironmentVariable);
        var key = database.Kind == StoreKind.Sqlite ? $"{SwitchyardOptions.SectionName}:Ledger:Path" : $"{SwitchyardOptions.SectionName}:Storage:ConnectionString";
        try
        {
            using (var connection = database.Open())
            {
                SchemaMigrator.Migrate(connection, database.Kind, time: timeProvider);
            }

            var time = timeProvider ?? TimeProvider.System;
            // A hold outlives any request (the gateway gives up on a request after RequestTimeoutSeconds) by a margin.
            var lease = TimeSpan.FromSeconds(options.Limits.RequestTimeoutSeconds + 60);
            var failOpen = string.Equals(options.Budgets.WhenStoreDown?.Trim(), "open", StringComparison.OrdinalIgnoreCase);
            var budgets = new BudgetStore(database, lease, TimeSpan.FromMilliseconds(options.Auth.KeyCacheMilliseconds), time, log, failOpen);
            return new SwitchyardStore(database, DatabaseLedger.Start(database, options.Ledger.QueueCapacity, log), budgets, time, log);
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or SchemaMigrationException or InvalidOperationException or TimeoutException)
        {
            database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new SwitchyardConfigurationException($"{key}: cannot open the database '{database.Display}': {ex.Message}");
        }
    }

    // Every instance frees expired holds now and then: those of an instance that crashed mid-request.
    private async Task SweepAsync(TimeProvider time, Action<string>? log)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(SweepEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    var freed = await Budgets.SweepAsync(_stopping.Token).ConfigureAwait(false);
                    await RateLimits.SweepAsync(_stopping.Token).ConfigureAwait(false);
                    if (freed > 0)
                    {
                        log?.Invoke($"Freed {freed} expired budget holds (an instance stopped before settling them).");
                    }
                }
                catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException or TimeoutException)
                {
                    log?.Invoke($"Sweeping expired budget holds failed ({ex.GetType().Name}: {ex.Message}); retrying in {SweepEvery.TotalSeconds:0} s.");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Flushes the ledger (settling its requests' holds), then closes the database. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            // Disposed already (the host and its owner both dispose): the ledger was flushed then; wait for it.
            await Ledger.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweeper.ConfigureAwait(false);
        _stopping.Dispose();
        await Ledger.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
    }
}
