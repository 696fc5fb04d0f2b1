namespace Linli.Api.Hosting;

/// <summary>
/// The framework writes a ProblemDetails only when the request's <c>Accept</c> allows JSON; a client asking for
/// <c>text/csv</c> (the ticket list's download), an image (a QR code) or a PDF got a bare <c>text/plain</c> or empty
/// error, or one without its trace id. Errors are always application/problem+json here: the client can still read the status.
/// </summary>
public static class ProblemsWhateverTheAccept
{
    public static IServiceCollection WriteProblemsWhateverTheAccept(this IServiceCollection services)
    {
        // Wrap the framework's own writer (AddProblemDetails registered it), so defaults and CustomizeProblemDetails still apply.
        var registered = services.Where(d => d.ServiceType == typeof(IProblemDetailsWriter) && d.ImplementationType is not null).ToList();
        foreach (var descriptor in registered)
        {
            services.Remove(descriptor);
            var type = descriptor.ImplementationType!;
            services.AddSingleton<IProblemDetailsWriter>(sp => new AnyAccept((IProblemDetailsWriter)ActivatorUtilities.CreateInstance(sp, type)));
        }
        return services;
    }

    private sealed class AnyAccept(IProblemDetailsWriter inner) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context) => inner.WriteAsync(context);
    }
}
