using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Mvc.Testing;
using SmartDoorplate.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartDoorplate.Web.Tests.Hosting;

// Walks every operation /openapi/v1.json describes, as an anonymous caller, a police officer and a
// landlord, in Development like scripts/run.sh, with generated path and query values and bodies: some
// plausible (the world's ids and codes, dates of these years), many hostile (wrong types, NUL and
// control characters, huge numbers, the ends of the calendar, empty and `null` bodies, bytes that are
// not UTF-8). No answer may be a 5xx, and every answer must be one the document declares for the
// operation, so the document stays true as endpoints change.
//
// Deterministic: a fixed seed and a fixed number of cases per operation and caller. SD_FUZZ_SEED
// (a CsCheck seed) and SD_FUZZ_CASES change them to explore further.
public sealed class OpenApiFuzzTests(DevelopmentWorldFixture app, ITestOutputHelper output) : IClassFixture<DevelopmentWorldFixture>
{
    private const string DefaultSeed = "0N0XIzNsQ0O2";
    private const int DefaultCases = 8;

    [Fact]
    public async Task EveryOperationOfTheOpenApiDocumentAnswersOnlyWhatItDeclaresAndNeverA5xx()
    {
        var seed = Environment.GetEnvironmentVariable("SD_FUZZ_SEED") is { Length: > 0 } s ? s : DefaultSeed;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("SD_FUZZ_CASES"), out var n) && n > 0 ? n : DefaultCases;
        var clock = Stopwatch.StartNew();

        var anonymous = app.CreateClient(NoRedirects);
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        Assert.True(operations.Count > 40, $"only {operations.Count} operations in the document");

        var callers = new (string Name, HttpClient Client)[]
        {
            ("anonymous", anonymous),
            ("police", await BearerClientAsync("t.officer.a")),
            ("landlord", await BearerClientAsync("t.landlord.a")),
        };
        var values = new KnownValues(app.World);
        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in operations)
        {
            var requests = RequestGen(operation, values, document);
            foreach (var (caller, client) in callers)
            {
                try
                {
                    await requests.SampleAsync(async request =>
                    {
                        Interlocked.Increment(ref sent);
                        using var message = request.ToMessage();
                        using var response = await client.SendAsync(message);
                        var status = (int)response.StatusCode;
                        if (status >= 500 || !operation.Declares(status))
                        {
                            var body = await response.Content.ReadAsStringAsync();
                            throw new InvalidOperationException(
                                $"{caller} {operation}: {request} answered {status} (declared: {string.Join(", ", operation.Statuses)})\n  {Shorten(body, 600)}");
                        }
                    }, seed: seed, iter: cases, threads: 1, print: r => r.ToString());
                }
                catch (Exception e)
                {
                    failures.Add($"{caller} {operation}:\n{Shorten(e.Message + "\n" + e.InnerException?.Message, 3000)}");
                }
            }
        }
        var summary = $"fuzz: {operations.Count} operations × {callers.Length} callers × {cases} cases (seed {seed}): {sent} requests in {clock.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(summary);
        // Also in the CI log of a passing run, which shows no test output.
        Console.WriteLine(summary);
        Assert.True(failures.Count == 0, $"{failures.Count} failing operation/caller pairs:\n\n" + string.Join("\n\n", failures));
    }

    [Fact]
    public async Task TheDocumentDeclaresTheBearerAndCookieSchemesAndWhichOperationsNeedThem()
    {
        var document = JsonNode.Parse(await app.CreateClient(NoRedirects).GetStringAsync("/openapi/v1.json"))!;
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("http", schemes["bearer"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("cookie", schemes["cookie"]!["in"]!.GetValue<string>());
        Assert.Equal("sd.session", schemes["cookie"]!["name"]!.GetValue<string>());

        var update = Operation.From("/api/cases/{id}", "put", PathItem(document, "/api/cases/{id}")["put"]!, document);
        Assert.Superset(new HashSet<string> { "200", "400", "401", "403", "404", "409", "428", "429", "503" }, update.Statuses.ToHashSet());
        var security = PathItem(document, "/api/cases/{id}")["put"]!["security"]!.AsArray();
        Assert.Equal(["bearer", "cookie"], security.Select(r => r!.AsObject().Single().Key).Order(StringComparer.Ordinal));

        // Open to anyone: no security requirement, and no 401 or 403 to expect.
        var submit = PathItem(document, "/api/registrations")["post"]!;
        Assert.Null(submit["security"]);
        var submitStatuses = submit["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
        Assert.DoesNotContain("401", submitStatuses);
        Assert.Superset(new HashSet<string> { "400", "404", "415", "422", "429", "503" }, submitStatuses);
    }

    // A group's "/" endpoint is documented with or without the trailing slash.
    private static JsonNode PathItem(JsonNode document, string path) =>
        document["paths"]!.AsObject().Single(p => p.Key.TrimEnd('/') == path).Value!;

    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false, HandleCookies = false };

    private async Task<HttpClient> BearerClientAsync(string userName)
    {
        var response = await app.CreateClient(NoRedirects).PostAsJsonAsync("/api/auth/login", new { username = userName, password = TestWorld.Password });
        response.EnsureSuccessStatusCode();
        var login = await response.Content.ReadFromJsonAsync<LoginResponse>();
        var client = app.CreateClient(NoRedirects);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.Token);
        return client;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    // Signing out ends the session the later operations use: it goes last.
    private static IEnumerable<Operation> Operations(JsonNode document) =>
        document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(method => method.Key is "get" or "post" or "put" or "delete" or "patch")
                .Select(method => Operation.From(path.Key, method.Key, method.Value!, document)))
            .OrderBy(o => o.Path.EndsWith("/logout", StringComparison.Ordinal))
            .ThenBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal);

    public sealed record Parameter(string Name, string In, bool Required, JsonNode? Schema);

    public sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, string? BodyMediaType, JsonNode? BodySchema,
        IReadOnlySet<string> Statuses)
    {
        public bool Declares(int status) => Statuses.Contains(status.ToString(CultureInfo.InvariantCulture)) || Statuses.Contains("default");

        public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";

        public static Operation From(string path, string method, JsonNode node, JsonNode document)
        {
            var parameters = (node["parameters"]?.AsArray() ?? [])
                .Select(p => Resolve(p!, document))
                .Select(p => new Parameter(p["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false, p["schema"]))
                .Where(p => p.In is "path" or "query")
                .ToList();
            string? mediaType = null;
            JsonNode? bodySchema = null;
            if (node["requestBody"]?["content"]?.AsObject() is { } content && content.Count > 0)
            {
                var chosen = content.FirstOrDefault(c => c.Key.Contains("json", StringComparison.Ordinal));
                if (chosen.Key is null) chosen = content.First();
                mediaType = chosen.Key;
                bodySchema = chosen.Value?["schema"];
            }
            var statuses = node["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
            return new Operation(method, path, parameters, mediaType, bodySchema, statuses);
        }
    }

    private static JsonNode Resolve(JsonNode node, JsonNode document)
    {
        for (var depth = 0; depth < 10 && node["$ref"]?.GetValue<string>() is { } reference; depth++)
        {
            var target = document;
            foreach (var part in reference.TrimStart('#', '/').Split('/')) target = target[part.Replace("~1", "/").Replace("~0", "~")]!;
            node = target;
        }
        return node;
    }

    // A request as sent: the path with its values, the query, and a body as raw bytes.
    public sealed record FuzzRequest(string Method, string Url, string? MediaType, byte[]? Body, string BodyText)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method.ToUpperInvariant()), new Uri(Url, UriKind.Relative));
            message.Headers.Accept.ParseAdd("application/json");
            if (Body is not null)
            {
                if (MediaType == "multipart/form-data")
                {
                    var form = new MultipartFormDataContent();
                    form.Add(new ByteArrayContent(Body), "file", "upload.csv");
                    message.Content = form;
                }
                else
                {
                    message.Content = new ByteArrayContent(Body);
                    message.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType ?? "application/json");
                }
            }
            return message;
        }

        public override string ToString() => $"{Method.ToUpperInvariant()} {Url}" + (Body is null ? "" : $" [{MediaType}] {Shorten(BodyText, 400)}");
    }

    private static Gen<FuzzRequest> RequestGen(Operation operation, KnownValues values, JsonNode document)
    {
        // Each parameter: sometimes left out (when optional), else a plausible or hostile text.
        var parameterGens = operation.Parameters.Select(p =>
        {
            var value = ValueText(Resolve(p.Schema ?? new JsonObject(), document), p.Name, values);
            return p.Required || p.In == "path"
                ? value.Select(v => (p, (string?)v))
                : Gen.Frequency((1, Gen.Const((p, (string?)null))), (3, value.Select(v => (p, (string?)v))));
        }).ToList();
        var parametersGen = parameterGens.Aggregate(
            Gen.Const(System.Collections.Immutable.ImmutableList<(Parameter, string?)>.Empty),
            (list, g) => Gen.Select(list, g, (l, v) => l.Add(v)));
        var bodyGen = operation.BodyMediaType is null
            ? Gen.Const<(byte[]?, string)>((null, ""))
            : BodyBytes(operation.BodySchema is null ? null : Resolve(operation.BodySchema, document), values, document, operation.BodyMediaType);

        return Gen.Select(parametersGen, bodyGen, (parameters, body) =>
        {
            var path = operation.Path;
            var query = new List<string>();
            foreach (var (parameter, value) in parameters)
            {
                if (value is null) continue;
                if (parameter.In == "path")
                {
                    // An empty segment would be another route, and a NUL in a path is refused by the
                    // server's URL decoder before the app (the test host throws it at the client).
                    var segment = value.Length == 0 ? "%20" : Escape(value.Replace('\0', '\u0001'));
                    path = path.Replace("{" + parameter.Name + "}", segment, StringComparison.Ordinal);
                }
                else query.Add(Uri.EscapeDataString(parameter.Name) + "=" + Escape(value));
            }
            var url = query.Count == 0 ? path : path + "?" + string.Join("&", query);
            return new FuzzRequest(operation.Method, url, operation.BodyMediaType, body.Item1, body.Item2);
        });
    }

    // Percent-encodes as a browser would, except that a value that already is an escape of bytes
    // that are not UTF-8 (%FF%FE) is sent as it is.
    private static string Escape(string value)
    {
        if (value.StartsWith("%FF", StringComparison.Ordinal)) return value;
        // A lone surrogate has no UTF-8: sent as the bytes a careless encoder would write.
        try { return Uri.EscapeDataString(value); }
        catch (UriFormatException) { return "%ED%A0%80"; }
    }

    private static readonly string[] HostileTexts =
    [
        "", " ", "\0", "a\0b", "\u0001\u0002\u001f", "\t\n\r", "%FF%FE%C3%28", "\uFFFD", "'; drop table users; --",
        "<script>alert(1)</script>", "../../etc/passwd", "0001-01-01", "9999-12-31", "1/1/0001", "9999-12-31T23:59:59+14:00",
        "2147483647", "-2147483648", "9223372036854775808", "1e309", "-1", "0", "NaN", "Infinity", "true", "null", "[]", "{}",
        new string('x', 3000), "王小明", "\u202Eevil", "🙂", "T-A-01\0",
    ];

    private static Gen<string> ValueText(JsonNode schema, string name, KnownValues values)
    {
        var plausible = Plausible(schema, name, values);
        return Gen.Frequency(
            (3, plausible),
            (2, Gen.OneOf([.. HostileTexts, "\ud800"])),
            (1, Gen.String[0, 12]));
    }

    private static Gen<string> Plausible(JsonNode schema, string name, KnownValues values)
    {
        var type = TypeOf(schema);
        var format = schema["format"]?.GetValue<string>();
        if (schema["enum"]?.AsArray() is { Count: > 0 } options)
            return Gen.OneOf(options.Select(o => Gen.Const(o?.ToString() ?? "")).ToArray());
        if (format == "uuid") return Gen.OneOf(Gen.OneOf(values.Guids), Gen.Guid.Select(g => g.ToString()));
        if (format is "date" or "date-time" || name.Contains("date", StringComparison.OrdinalIgnoreCase)
            || name is "from" or "to" or "split" or "plate")
        {
            return Gen.Int[-1200, 400].Select(days => new DateOnly(2026, 1, 1).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return type switch
        {
            "integer" => Gen.OneOf(Gen.Int[-5, 60].Select(i => i.ToString(CultureInfo.InvariantCulture)), Gen.OneOf(values.Ids)),
            "number" => Gen.OneOf(Gen.Double[-200, 200].Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
                Gen.OneOf("106.65", "26.62", "100", "500")),
            "boolean" => Gen.OneOf("true", "false"),
            _ => Gen.OneOf(Gen.OneOf(values.Texts), Gen.String[1, 10]),
        };
    }

    // JSON Schema 2020-12 from Microsoft.AspNetCore.OpenApi: "type" may be a list with "null".
    private static string? TypeOf(JsonNode schema) => schema["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        JsonValue type => type.GetValue<string>(),
        _ => null,
    };

    private static Gen<(byte[]?, string)> BodyBytes(JsonNode? schema, KnownValues values, JsonNode document, string mediaType)
    {
        var json = JsonBody(schema, values, document, 0).Select(node => node?.ToJsonString() ?? "null");
        var hostile = Gen.OneOf("", "null", "{", "[]", "[{}]", "123", "\"text\"", "{\"a\":", "{}", "{\"x\": \"\\u0000\"}", "{\"q\": \"\\ud800\", \"purpose\": \"\\udfff\"}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
        var texts = Gen.Frequency((5, json), (2, hostile));
        var broken = Gen.OneOf(
            Gen.Const(new byte[] { (byte)'{', (byte)'"', (byte)'q', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}' }),
            Gen.Const(new byte[] { 0xC3, 0x28, 0xA0, 0xA1 }),
            Gen.Byte.Array[0, 64]);
        var bytes = Gen.Frequency(
            (6, texts.Select(t => ((byte[]?)Encoding.UTF8.GetBytes(t), t))),
            (1, broken.Select(b => ((byte[]?)b, "bytes: " + Convert.ToHexString(b)))));
        // A multipart upload gets the same bytes as its file, and sometimes nothing at all.
        return mediaType == "multipart/form-data" ? Gen.Frequency((5, bytes), (1, Gen.Const<(byte[]?, string)>((null, "(no body)")))) : bytes;
    }

    private static Gen<JsonNode?> JsonBody(JsonNode? schema, KnownValues values, JsonNode document, int depth)
    {
        if (schema is null || depth > 4) return Gen.Const((JsonNode?)null);
        schema = Resolve(schema, document);
        if (schema["oneOf"]?.AsArray() is { Count: > 0 } oneOf) schema = Resolve(oneOf[0]!, document);
        var type = TypeOf(schema);
        if (type == "object" || schema["properties"] is not null)
        {
            var properties = schema["properties"]?.AsObject().ToList() ?? [];
            var propertyGens = properties.Select(p =>
            {
                var value = Gen.Frequency(
                    (4, JsonValueGen(Resolve(p.Value!, document), p.Key, values, document, depth + 1)),
                    (1, Gen.Const((JsonNode?)null)),
                    (2, Gen.OneOf(HostileTexts.Select(t => Gen.Const<JsonNode?>(JsonValue.Create(t))).ToArray())),
                    (1, Gen.OneOf<JsonNode?>(JsonValue.Create(1e300), JsonValue.Create(-1), JsonValue.Create(long.MaxValue), JsonValue.Create(true))),
                    (1, Gen.Const<JsonNode?>(new JsonObject { ["nested"] = "x" })));
                return value.Select(v => (p.Key, v));
            });
            return propertyGens.Aggregate(
                Gen.Const(System.Collections.Immutable.ImmutableList<(string, JsonNode?)>.Empty),
                (list, g) => Gen.Select(list, g, (l, v) => l.Add(v)))
                .Select(list =>
                {
                    var node = new JsonObject();
                    foreach (var (key, value) in list) node[key] = value?.DeepClone();
                    return (JsonNode?)node;
                });
        }
        return JsonValueGen(schema, "", values, document, depth);
    }

    private static Gen<JsonNode?> JsonValueGen(JsonNode schema, string name, KnownValues values, JsonNode document, int depth)
    {
        var type = TypeOf(schema);
        if (type == "array")
        {
            var item = JsonValueGen(Resolve(schema["items"] ?? new JsonObject(), document), name, values, document, depth + 1);
            return Gen.Select(item, item, Gen.Int[0, 2], (a, b, count) =>
                (JsonNode?)new JsonArray([.. new[] { a, b }.Take(count).Select(v => v?.DeepClone())]));
        }
        if (type == "object" || schema["properties"] is not null) return JsonBody(schema, values, document, depth);
        var text = Plausible(schema, name, values);
        return type switch
        {
            "integer" => text.Select(t => long.TryParse(t, out var l) ? (JsonNode?)JsonValue.Create(l) : JsonValue.Create(t)),
            "number" => text.Select(t => double.TryParse(t, CultureInfo.InvariantCulture, out var d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(t)),
            "boolean" => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            _ => text.Select(t => (JsonNode?)JsonValue.Create(t)),
        };
    }

    // Ids and codes of the test world, so that some requests reach real records.
    private sealed class KnownValues(TestWorld world)
    {
        public string[] Guids { get; } = [world.PersonA.ToString(), world.PersonB.ToString(), world.RegistrationA.ToString(), world.RegistrationB.ToString()];
        public string[] Ids { get; } = [world.BuildingA.ToString(CultureInfo.InvariantCulture), world.BuildingB.ToString(CultureInfo.InvariantCulture),
            world.StationA.ToString(CultureInfo.InvariantCulture), "1", "2", "14"];
        public string[] Texts { get; } = [world.PlateA, world.PlateB, world.RevokedPlateA, "T-A-01", "T-B-01", "T-A", "T-A-0001", "T-RECEIPT-A",
            "王小明", "核查线索需要", "13800138000", TestWorld.IdNumberA, "cases", "boundaries", "hotspots", "theft", "work", "101", "submitted"];
    }
}
