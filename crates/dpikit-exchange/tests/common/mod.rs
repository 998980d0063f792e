//! The FIWARE Smart Data Models of the shared vectors, as the tests and the bench use them.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use dpikit_exchange::Registry;
use dpikit_testkit::vectors_dir;

/// The vectors folder of the Smart Data Models.
pub(crate) const DOMAIN: &str = "exchange/smart-data-models";
/// The URL the AirQualityObserved schema `$ref`s for the Environment schema.
pub(crate) const ENV_RAW: &str = "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json";
/// The `$id` the Environment schema declares.
pub(crate) const ENV_ID: &str =
    "https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json";
/// The models in the vectors, as `<subject>/<entity>` folders.
pub(crate) const MODELS: &[&str] = &[
    "Environment/AirQualityObserved",
    "Weather/WeatherObserved",
    "Parking/ParkingSpot",
    "Streetlighting/Streetlight",
    "IssueTracking/service_requests",
];

/// A registry with the common schemas and the Environment alias, and the vectors folder;
/// `None` when the vectors are absent (outside CI).
pub(crate) fn sdm_base() -> Option<(Registry, PathBuf)> {
    let dir = vectors_dir(DOMAIN)?;
    let mut registry = Registry::new();
    registry.register_dir(dir.join("common")).unwrap();
    registry.add_alias(ENV_RAW, ENV_ID).unwrap();
    Some((registry, dir))
}
