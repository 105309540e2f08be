namespace SmartDoorplate.Analytics.Geodesy;

/// <summary>Longitude first, like GeoJSON, PostGIS and every GIS tool the project exchanges data with.</summary>
public readonly record struct GeoPoint(double Longitude, double Latitude);
