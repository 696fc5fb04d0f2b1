namespace Linli.Api.Tests.Support;

/// <summary>The MariaDB that <c>./test</c> starts. Tests never run without it: a missing server is a failure, not a skip.</summary>
public static class TestDatabase
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("LINLI_TEST_CONNECTION")
        ?? throw new InvalidOperationException("LINLI_TEST_CONNECTION is not set: run the tests with ./test, which starts the database.");
}
