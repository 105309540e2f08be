namespace SmartDoorplate.Health;

// The readiness check's statement: the server's and PostGIS's versions, which EF has no words for.
// HealthTests pin its answer.
public static class HealthSql
{
    public const string Versions = "select current_setting('server_version'), postgis_lib_version()";
}
