using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Support;

/// <summary>The API with its data source wrapped in a <see cref="CountingDataSource"/>, to count what requests ask of the database.</summary>
public sealed class CountingFactory(IDictionary<string, string?>? settings = null) : LinliFactory(settings)
{
    public CountingDataSource? Counter { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(DbDataSource));
            services.Remove(original);
            services.AddSingleton<DbDataSource>(sp => Counter ??= new CountingDataSource(
                original.ImplementationInstance as DbDataSource ?? (DbDataSource)original.ImplementationFactory!(sp)));
        });
    }
}
