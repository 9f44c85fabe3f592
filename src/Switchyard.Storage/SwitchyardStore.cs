using System.Data.Common;
using Switchyard.Configuration;
using Switchyard.Storage.Ledger;
using Switchyard.Storage.Migrations;

namespace Switchyard.Storage;

/// <summary>
/// Everything Switchyard keeps in its database, opened once: the schema brought up to date, then the ledger writer.
/// One instance per gateway process; several processes may share one PostgreSQL database.
/// </summary>
public sealed class SwitchyardStore : IAsyncDisposable
{
    private SwitchyardStore(StoreDatabase database, DatabaseLedger ledger)
    {
        Database = database;
        Ledger = ledger;
    }

    /// <summary>The database.</summary>
    public StoreDatabase Database { get; }

    /// <summary>The request ledger.</summary>
    public DatabaseLedger Ledger { get; }

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

            return new SwitchyardStore(database, DatabaseLedger.Start(database, options.Ledger.QueueCapacity, log));
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or SchemaMigrationException or InvalidOperationException or TimeoutException)
        {
            database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new SwitchyardConfigurationException($"{key}: cannot open the database '{database.Display}': {ex.Message}");
        }
    }

    /// <summary>Flushes the ledger, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
    }
}
