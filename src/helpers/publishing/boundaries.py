"""Boundary files of any OGR format -> kecamatan/desa polygons keyed by Kemendagri codes, in UTM 49S.

Sources, in order: the ``boundary_path`` parameter (a file or a folder), else every OGR file in
``<raw_dir>/batas_wilayah/`` (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, ...), else the boundaries shipped with
the repository (``helpers/data/geo/``: the desa of Kabupaten Jombang, and for every other kabupaten/kota of Jawa
Timur its kecamatan from ``jatim_kecamatan.geojson``, without desa maps). Without any of them (files deleted, or
``boundary_path`` pointing at an empty folder) the maps use a schematic layout and say so. Files are taken in name order
and the layers of a file in their stored order, so the choice is deterministic. A layer is recognised as
kecamatan- or desa-level from its attributes; a desa layer serves both levels (dissolved to kecamatan).

Attribute names differ between producers and are all understood:

* this project / ``wilayah_boundaries``: ``kode`` (``35.17.06`` or ``35.17.06.2001``), ``nama``;
* BIG / Ina-Geoportal: ``WADMKC`` (kecamatan), ``WADMKD`` (desa), ``WADMKK`` (kabupaten), ``NAMOBJ``,
  ``KDCPUM`` / ``KDEPUM`` / ``KDPKAB`` codes;
* HDX COD-AB (``ADM3_EN``, ``ADM3_PCODE``...) and GADM (``NAME_2``, ``NAME_3``, ``NAME_4``).

Names go through the same normaliser as the tabular data (:mod:`helpers.reference.wilayah`), so "BANDAR KEDUNG MULYO" or
"KEC. MOJOAGUNG" land on the right code; a code column is used where a name is missing or unknown. An area that
resolves neither way is an :class:`~helpers.errors.InputError` naming it with the closest valid name. Output
names always come from the Kemendagri gazetteer; every geometry is repaired (``make_valid``) and projected to
UTM 49S (EPSG:32749) — for every kabupaten/kota of Jawa Timur, see :data:`CRS_UTM`.

When no boundary file exists at all, :func:`schematic_kecamatan` gives a clearly schematic stand-in built from
approximate kecamatan centre points (``data/titik_kecamatan.csv``).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from helpers.config import DATA_PACKAGE_DIR, DEFAULT_BOUNDARY, GEO_DIR, KODE_KABUPATEN
from helpers.errors import InputError
from helpers.reference import wilayah

#: Projected CRS of every map: WGS 84 / UTM zone 49S (metres, central meridian 111°E). Jawa Timur spans
#: 110.9–116.3°E (Kangean islands beyond zone 50S's 114°E); the scale error of zone 49S is −0.02 % at Jombang,
#: +0.13 % at Banyuwangi (114.4°E) and +0.39 % (areas +0.8 %) at 116.3°E — invisible on a map and far below the
#: simplification of the shipped boundaries. One CRS keeps every kabupaten map, the locator inset and the
#: province map consistent, so no per-kabupaten zone is chosen (checked by tests/test_provinsi_boundaries.py).
CRS_UTM = "EPSG:32749"
BOUNDARY_SUBDIR = "batas_wilayah"
OGR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml", ".zip")
LEVELS = ("kecamatan", "desa")
PROVINCE_FILE = GEO_DIR / "jatim_kabupaten.geojson"
#: The kecamatan of every kabupaten/kota of Jawa Timur: the shipped default outside Kabupaten Jombang.
PROVINCE_KECAMATAN_FILE = GEO_DIR / "jatim_kecamatan.geojson"
CENTRES_FILE = DATA_PACKAGE_DIR / "titik_kecamatan.csv"
ALIAS_HINT = "src/helpers/data/alias_wilayah.csv"
#: Holes smaller than this (m²) left by dissolving desa into kecamatan are gaps between desa, not enclaves.
MAX_GAP_M2 = 200_000.0
SCHEMATIC_NOTE = "Peta skematis — bukan batas wilayah resmi"

# Attribute aliases, compared after lower-casing and removing everything but letters and digits.
_ALIASES = {
    "kode_desa": ("kode_desa", "kd_desa", "kdepum", "kode_kel", "kode_desa_kel", "adm4_pcode", "kode_kelurahan"),
    "kode_kec": ("kode_kecamatan", "kode_kec", "kd_kec", "kdcpum", "adm3_pcode"),
    "kode_kab": ("kode_kabupaten", "kode_kab", "kd_kab", "kdpkab", "adm2_pcode"),
    "kode": ("kode", "kode_wilayah", "kode_kemendagri", "kode_wil", "code"),
    "nama_desa": ("nama_desa", "desa", "wadmkd", "kelurahan", "desa_kelurahan", "nama_kelurahan", "adm4_en", "name_4"),
    "nama_kec": ("nama_kecamatan", "kecamatan", "wadmkc", "nama_kec", "kec", "adm3_en", "name_3"),
    "nama_kab": ("nama_kabupaten", "kabupaten", "wadmkk", "kab_kota", "kabupaten_kota", "adm2_en", "name_2"),
    "nama": ("nama", "namobj", "name", "nama_wilayah", "nama_obj"),
}
_NON_ALNUM = re.compile(r"[^0-9a-z]")


@dataclass(frozen=True)
class Layer:
    """One polygon layer of one file, and the level its attributes describe."""

    path: Path
    layer: str
    level: str

    @property
    def label(self) -> str:
        return self.path.name if self.layer in ("", self.path.stem) else f"{self.path.name} (layer {self.layer})"


@dataclass(frozen=True)
class BoundarySet:
    """Everything a map needs: kecamatan polygons, desa polygons (or None), and where they came from."""

    kecamatan: gpd.GeoDataFrame
    desa: gpd.GeoDataFrame | None
    skematis: bool
    sumber: str


# --------------------------------------------------------------------------------------------------- finding


def shipped_boundary(kode_kabupaten: str = KODE_KABUPATEN) -> Path:
    """The boundary file shipped for a kabupaten: Jombang's desa, else the kecamatan of the whole province."""
    return DEFAULT_BOUNDARY if kode_kabupaten == KODE_KABUPATEN else PROVINCE_KECAMATAN_FILE


def find_boundary_files(
    boundary_path: str | Path | None, raw_dir: str | Path | None, kode_kabupaten: str = KODE_KABUPATEN
) -> list[Path]:
    """OGR files to consider, sorted by name. An explicit ``boundary_path`` that does not exist is an error."""
    if boundary_path not in (None, ""):
        path = Path(boundary_path)
        if path.is_file():
            return [path]
        if path.is_dir():
            return _ogr_files(path)
        raise InputError(f"File batas wilayah {path} (parameter boundary_path) tidak ditemukan.")
    folder = Path(raw_dir) / BOUNDARY_SUBDIR if raw_dir not in (None, "") else None
    if folder is not None and folder.is_dir() and _ogr_files(folder):
        return _ogr_files(folder)
    shipped = shipped_boundary(kode_kabupaten)
    return [shipped] if shipped.is_file() else []


def _ogr_files(folder: Path) -> list[Path]:
    files = [p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(OGR_SUFFIXES)]
    return sorted(files, key=lambda p: (p.name.lower(), p.name))


def list_layers(files: list[Path], kode_kabupaten: str = KODE_KABUPATEN, strict: bool = True) -> list[Layer]:
    """Every polygon layer of ``files`` with its detected level, in file-name then stored-layer order.

    A file GDAL cannot open is an error when ``strict`` (a file named by the user), else skipped with a warning
    (a stray file in the ``batas_wilayah`` folder).
    """
    found = []
    for path in files:
        try:
            layers = pyogrio.list_layers(path)
        except Exception as exc:  # noqa: BLE001 - any GDAL failure means "not a readable boundary file"
            message = f"File batas wilayah {path.name} tidak dapat dibaca sebagai peta ({exc})."
            if strict:
                raise InputError(message) from None
            warnings.warn(message + " File ini dilewati.", stacklevel=2)
            continue
        for name, geometry_type in layers:
            if geometry_type is None or "Point" in geometry_type or "Line" in geometry_type:
                continue
            attributes = pyogrio.read_dataframe(path, layer=name, read_geometry=False)
            found.append(Layer(path, str(name), detect_level(attributes, path.name)))
    return found


def _layers(path: str | Path | None, raw_dir: str | Path | None, kode_kabupaten: str) -> list[Layer]:
    explicit_file = path not in (None, "") and Path(path).is_file()
    files = find_boundary_files(path, raw_dir, kode_kabupaten)
    return list_layers(files, kode_kabupaten, strict=explicit_file)


# --------------------------------------------------------------------------------------------------- attributes


def _column_roles(frame: pd.DataFrame) -> dict[str, str]:
    """Role (``kode_desa``, ``nama_kec``, ...) -> the first matching column holding at least one value."""
    keys = {_NON_ALNUM.sub("", str(c).lower()): c for c in frame.columns if c != "geometry"}
    roles = {}
    for role, aliases in _ALIASES.items():
        for alias in aliases:
            column = keys.get(_NON_ALNUM.sub("", alias))
            if column is not None and frame[column].notna().any() and column not in roles.values():
                roles[role] = column
                break
    return roles


def _digits(values: pd.Series) -> pd.Series:
    """Codes reduced to their digits ('ID3517060' -> '3517060'; '35.17.06.2001' -> '3517062001')."""
    text = values.astype("string").str.strip().str.replace(r"^[A-Za-z]+", "", regex=True)
    return text.str.replace(r"\D", "", regex=True).replace("", pd.NA)


def _code_length(frame: pd.DataFrame, column: str | None) -> int:
    """The most common digit count of a code column (0 when there is none)."""
    if column is None:
        return 0
    lengths = _digits(frame[column]).dropna().str.len()
    return int(lengths.mode().iloc[0]) if len(lengths) else 0


def _names_differ(frame: pd.DataFrame, roles: dict[str, str]) -> bool:
    """A kecamatan column beside a generic name column holding other names: the features are desa."""
    if "nama_kec" not in roles or "nama" not in roles:
        return False
    kecamatan = frame[roles["nama_kec"]].map(wilayah.normalise_name)
    own = frame[roles["nama"]].map(wilayah.normalise_name)
    return bool((kecamatan != own).mean() > 0.5)


def detect_level(frame: pd.DataFrame, label: str = "file") -> str:
    """``"desa"`` or ``"kecamatan"`` from a layer's attribute names and code lengths."""
    roles = _column_roles(frame)
    generic = _code_length(frame, roles.get("kode"))
    if "kode_desa" in roles or "nama_desa" in roles or generic == 10 or _names_differ(frame, roles):
        return "desa"
    if "kode_kec" in roles or "nama_kec" in roles or generic in (6, 7) or "nama" in roles:
        return "kecamatan"
    columns = ", ".join(str(c) for c in frame.columns if c != "geometry") or "(tidak ada)"
    raise InputError(
        f"File batas wilayah {label}: tidak ada kolom nama atau kode wilayah yang dikenali. Kolom yang ada: "
        f"{columns}. Gunakan kolom kode/nama, atau WADMKC/WADMKD/NAMOBJ seperti pada data BIG."
    )


def _in_kabupaten(frame: pd.DataFrame, roles: dict[str, str], kode_kabupaten: str) -> pd.Series:
    """Which features belong to the kabupaten (all of them when the file does not say)."""
    prefix = kode_kabupaten.replace(".", "")
    if "kode_kab" in roles:
        return _digits(frame[roles["kode_kab"]]).fillna("").eq(prefix)
    if "nama_kab" in roles:
        wanted = wilayah.normalise_name(wilayah.kabupaten_name(kode_kabupaten))
        return frame[roles["nama_kab"]].map(wilayah.normalise_name).eq(wanted)
    for role in ("kode_desa", "kode_kec", "kode"):
        if role in roles:
            return _digits(frame[roles[role]]).fillna(prefix).str.startswith(prefix)
    return pd.Series(True, index=frame.index)


def _kecamatan_codes(frame: pd.DataFrame, roles: dict[str, str], level: str, kode_kabupaten: str) -> pd.Series:
    """Kecamatan code per feature: from the kecamatan name, else from a code column (codes in files are often
    stale or BPS-style; names are what people maintain, and they go through the shared normaliser)."""
    codes = pd.Series(pd.NA, index=frame.index, dtype="string")
    name_column = roles.get("nama_kec") or (roles.get("nama") if level == "kecamatan" else None)
    if name_column is not None:
        codes = wilayah.resolve_kecamatan(frame[name_column], kode_kabupaten)
    code_column = roles.get("kode_kec") or roles.get("kode_desa") or roles.get("kode")
    if code_column is not None:
        digits = _digits(frame[code_column])
        digits = digits.where(digits.str.len() != 10, digits.str[:6])
        codes = codes.fillna(wilayah.resolve_kecamatan(digits, kode_kabupaten))
    return codes


def _desa_codes(frame: pd.DataFrame, roles: dict[str, str], kecamatan: pd.Series, kode_kabupaten: str) -> pd.Series:
    """Desa code per feature: from kecamatan code + desa name, else from a valid 10-digit code."""
    codes = pd.Series(pd.NA, index=frame.index, dtype="string")
    name_column = roles.get("nama_desa") or roles.get("nama")
    if name_column is not None:
        codes = wilayah.resolve_desa(kecamatan, frame[name_column], kode_kabupaten)
    code_column = roles.get("kode_desa") or roles.get("kode")
    if code_column is not None:
        digits = _digits(frame[code_column])
        codes = codes.fillna(wilayah.resolve_desa(kecamatan, digits.where(digits.str.len() == 10), kode_kabupaten))
    return codes


def _label(frame: pd.DataFrame, roles: dict[str, str], level: str) -> pd.Series:
    """The area's name (or code) as written in the file, for messages."""
    order = ("nama_desa", "nama", "kode_desa", "kode") if level == "desa" else ("nama_kec", "nama", "kode_kec", "kode")
    label = pd.Series(pd.NA, index=frame.index, dtype="string")
    for role in order:
        if role in roles:
            label = label.fillna(frame[roles[role]].astype("string"))
    return label.fillna("(tanpa nama)")


# --------------------------------------------------------------------------------------------------- messages


def _unmatched_message(source: str, level: str, labels: pd.Series, kecamatan: pd.Series, kode_kabupaten: str) -> str:
    items = []
    for label, kec in sorted(set(zip(labels, kecamatan.fillna(""))), key=str):
        if level == "desa" and not kec:
            items.append(f'"{label}" (kecamatannya tidak dikenali)')
            continue
        if level == "desa":
            guess = wilayah.suggest_desa(kec, label, kode_kabupaten)
            where = f" di Kecamatan {wilayah.kecamatan_name(kec, kode_kabupaten)}"
        else:
            guess, where = wilayah.suggest_kecamatan(label, kode_kabupaten), ""
        hint = f" (nama terdekat yang valid: {guess})" if guess else ""
        items.append(f'"{label}"{where}{hint}')
    kabupaten = wilayah.kabupaten_name(kode_kabupaten)
    return (
        f"File batas wilayah {source}: {len(items)} {level} tidak dikenali di {kabupaten}: {'; '.join(items)}. "
        f"Perbaiki nama di file batas wilayah, atau tambahkan variannya ke {ALIAS_HINT}."
    )


def _check_complete(result: gpd.GeoDataFrame, level: str, source: str, kode_kabupaten: str) -> None:
    """Every kecamatan must be present (error); a missing desa is only a warning."""
    table = wilayah.kecamatan_table(kode_kabupaten) if level == "kecamatan" else wilayah.desa_table(kode_kabupaten)
    missing = table[~table["kode"].isin(result["kode"])]
    if missing.empty:
        return
    names = ", ".join(f"{n} ({k})" for k, n in zip(missing["kode"], missing["nama"]))
    message = f"File batas wilayah {source}: {len(missing)} {level} tidak ada di file: {names}."
    if level == "kecamatan":
        raise InputError(message + " Gunakan file yang memuat seluruh kecamatan.")
    warnings.warn(message + " Desa tersebut tidak tampil di peta.", stacklevel=3)


# --------------------------------------------------------------------------------------------------- geometry


def _polygonal(geometry: object) -> object:
    """Only the polygonal part of a geometry (``make_valid`` can return collections with lines)."""
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def repair(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Valid polygonal geometries (shapely ``make_valid``); features left without area are dropped."""
    fixed = shapely.make_valid(frame.geometry.values, method="structure", keep_collapsed=False)
    frame = frame.set_geometry(gpd.GeoSeries([_polygonal(g) for g in fixed], index=frame.index, crs=frame.crs))
    return frame[frame.geometry.notna() & ~frame.geometry.is_empty]


def _to_utm(frame: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            warnings.warn(f"File batas wilayah {source} tanpa CRS: dianggap bujur/lintang WGS 84.", stacklevel=3)
            frame = frame.set_crs("EPSG:4326")
        else:
            raise InputError(
                f"File batas wilayah {source} tidak menyebut sistem koordinatnya (CRS), misalnya file .prj "
                "Shapefile hilang. Sertakan file .prj atau simpan ulang sebagai GeoPackage."
            )
    return frame.to_crs(CRS_UTM)


def _fill_gaps(geometry: object, max_area: float = MAX_GAP_M2) -> object:
    """Remove holes smaller than ``max_area`` (slivers between desa polygons after a dissolve)."""
    polygons = []
    for polygon in shapely.get_parts(geometry):
        rings = [r for r in polygon.interiors if shapely.Polygon(r).area >= max_area]
        polygons.append(shapely.Polygon(polygon.exterior, rings))
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _finish(frame: gpd.GeoDataFrame, level: str, kode_kabupaten: str, source: str) -> gpd.GeoDataFrame:
    """Dissolve by code, attach gazetteer names, sort; columns ``kode``, ``nama`` (+ ``kode_kecamatan``)."""
    dissolved = frame[["kode", "geometry"]].dissolve(by="kode", as_index=False)
    table = wilayah.kecamatan_table(kode_kabupaten) if level == "kecamatan" else wilayah.desa_table(kode_kabupaten)
    names = dict(zip(table["kode"], table["nama"]))
    dissolved["nama"] = dissolved["kode"].map(names)
    columns = ["kode", "nama", "geometry"]
    if level == "desa":
        dissolved["kode_kecamatan"] = dissolved["kode"].str[:8]
        columns = ["kode", "nama", "kode_kecamatan", "geometry"]
    result = gpd.GeoDataFrame(dissolved[columns], geometry="geometry", crs=frame.crs)
    result = result.sort_values("kode", ignore_index=True)
    result.attrs.update({"sumber": source, "skematis": False, "tingkat": level})
    return result


# --------------------------------------------------------------------------------------------------- loading


def read_layer(layer: Layer, kode_kabupaten: str = KODE_KABUPATEN) -> gpd.GeoDataFrame:
    """One layer at its own level: codes resolved, kabupaten only, repaired, projected, dissolved by code."""
    frame = pyogrio.read_dataframe(layer.path, layer=layer.layer)
    roles = _column_roles(frame)
    frame = frame[_in_kabupaten(frame, roles, kode_kabupaten)]
    if frame.empty:
        raise InputError(
            f"File batas wilayah {layer.label} tidak memuat wilayah {wilayah.kabupaten_name(kode_kabupaten)}."
        )
    kecamatan = _kecamatan_codes(frame, roles, layer.level, kode_kabupaten)
    codes = kecamatan if layer.level == "kecamatan" else _desa_codes(frame, roles, kecamatan, kode_kabupaten)
    unmatched = codes.isna()
    if unmatched.any():
        labels = _label(frame, roles, layer.level)[unmatched]
        raise InputError(_unmatched_message(layer.label, layer.level, labels, kecamatan[unmatched], kode_kabupaten))
    frame = frame.assign(kode=codes.astype(str))
    frame = _to_utm(repair(frame), layer.label)
    result = _finish(frame, layer.level, kode_kabupaten, layer.label)
    _check_complete(result, layer.level, layer.label, kode_kabupaten)
    return result


def dissolve_to_kecamatan(desa: gpd.GeoDataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> gpd.GeoDataFrame:
    """Kecamatan polygons from desa polygons (slivers between desa closed)."""
    frame = desa[["kode", "geometry"]].assign(kode=desa["kode"].str[:8])
    source = desa.attrs.get("sumber", "desa")
    result = _finish(frame, "kecamatan", kode_kabupaten, source)
    result["geometry"] = [_fill_gaps(g) for g in result.geometry]
    result.attrs.update({"sumber": source, "skematis": False, "tingkat": "kecamatan"})
    _check_complete(result, "kecamatan", source, kode_kabupaten)
    return result


def _choose(layers: list[Layer], level: str) -> Layer | None:
    matching = [layer for layer in layers if layer.level == level]
    if len(matching) > 1:
        others = ", ".join(layer.label for layer in matching[1:])
        warnings.warn(
            f"Ada {len(matching)} layer batas {level}; dipakai {matching[0].label} (urutan nama file), "
            f"diabaikan: {others}.",
            stacklevel=3,
        )
    return matching[0] if matching else None


def load_boundaries(
    path: str | Path | None,
    raw_dir: str | Path | None,
    level: str = "kecamatan",
    kode_kabupaten: str = KODE_KABUPATEN,
) -> gpd.GeoDataFrame | None:
    """Kecamatan or desa polygons (``kode``, ``nama``, ``geometry``; EPSG:32749) or None without a boundary file.

    ``path`` is the ``boundary_path`` parameter (a file or a folder); when empty, ``<raw_dir>/batas_wilayah/`` is
    searched. For ``level="kecamatan"`` a kecamatan layer is preferred and a desa layer is dissolved when it is the
    only one; for ``level="desa"`` None is returned when only kecamatan polygons exist. The GeoDataFrame's
    ``attrs["sumber"]`` names the file used.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    layers = _layers(path, raw_dir, kode_kabupaten)
    chosen = _choose(layers, level)
    if chosen is not None:
        return read_layer(chosen, kode_kabupaten)
    if level == "kecamatan":
        desa_layer = _choose(layers, "desa")
        if desa_layer is not None:
            return dissolve_to_kecamatan(read_layer(desa_layer, kode_kabupaten), kode_kabupaten)
    return None


def load_boundary_set(
    path: str | Path | None, raw_dir: str | Path | None, kode_kabupaten: str = KODE_KABUPATEN
) -> BoundarySet:
    """Kecamatan and desa polygons for the maps; the schematic stand-in when there is no boundary file."""
    layers = _layers(path, raw_dir, kode_kabupaten)
    desa_layer = _choose(layers, "desa")
    desa = read_layer(desa_layer, kode_kabupaten) if desa_layer is not None else None
    kec_layer = _choose(layers, "kecamatan")
    if kec_layer is not None:
        kecamatan = read_layer(kec_layer, kode_kabupaten)
    elif desa is not None:
        kecamatan = dissolve_to_kecamatan(desa, kode_kabupaten)
    else:
        kecamatan = schematic_kecamatan(kode_kabupaten)
    return BoundarySet(kecamatan, desa, bool(kecamatan.attrs.get("skematis")), str(kecamatan.attrs.get("sumber")))


# --------------------------------------------------------------------------------------------------- context


def load_province(
    province_path: str | Path | None = None, kode_kabupaten: str = KODE_KABUPATEN
) -> gpd.GeoDataFrame | None:
    """Kabupaten/kota polygons of the province for a locator inset: ``kode``, ``nama``, ``sorot``, ``geometry``.

    Read from ``province_path`` or, by default, the shared ``jatim_kabupaten.geojson``; None when neither
    exists. ``sorot`` is True for the kabupaten being mapped. Geometry is simplified (inset scale).
    """
    path = Path(province_path) if province_path not in (None, "") else PROVINCE_FILE
    if not path.is_file():
        if province_path not in (None, ""):
            raise InputError(f"File batas provinsi {path} tidak ditemukan.")
        return None
    frame = pyogrio.read_dataframe(path)
    roles = _column_roles(frame)
    code_column = roles.get("kode_kab") or roles.get("kode")
    name_column = roles.get("nama_kab") or roles.get("nama")
    if code_column is None and name_column is None:
        raise InputError(f"File batas provinsi {path.name}: tidak ada kolom kode atau nama kabupaten.")
    codes = _digits(frame[code_column]).fillna("") if code_column else pd.Series("", index=frame.index)
    names = frame[name_column].astype("string").fillna("") if name_column else codes
    wanted = wilayah.normalise_name(wilayah.kabupaten_name(kode_kabupaten))
    sorot = codes.eq(kode_kabupaten.replace(".", "")) | names.map(wilayah.normalise_name).eq(wanted)
    result = gpd.GeoDataFrame(
        {"kode": codes.map(wilayah.normalise_code), "nama": names, "sorot": sorot.to_numpy()},
        geometry=frame.geometry.values,
        crs=frame.crs or "EPSG:4326",
    )
    result = _to_utm(repair(result), path.name)
    result["geometry"] = result.geometry.simplify(300)
    result.attrs["sumber"] = path.name
    return result.reset_index(drop=True)


def kecamatan_centres(kode_kabupaten: str = KODE_KABUPATEN) -> gpd.GeoDataFrame:
    """Approximate kecamatan centre points (``data/titik_kecamatan.csv``), projected."""
    table = pd.read_csv(CENTRES_FILE, dtype={"kode": str})
    table = table[table["kode"].str.startswith(kode_kabupaten + ".")]
    if table.empty:
        raise InputError(f"Titik pusat kecamatan untuk kode kabupaten {kode_kabupaten} tidak tersedia.")
    points = gpd.points_from_xy(table["lon"], table["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(table[["kode", "nama"]], geometry=points).to_crs(CRS_UTM).reset_index(drop=True)


def schematic_kecamatan(kode_kabupaten: str = KODE_KABUPATEN, margin_m: float = 3500.0) -> gpd.GeoDataFrame:
    """Schematic kecamatan cells: Voronoi cells of the centre points clipped to their buffered hull.

    Not a boundary: ``attrs["skematis"]`` is True and every map drawn from it carries :data:`SCHEMATIC_NOTE`.
    """
    centres = kecamatan_centres(kode_kabupaten)
    points = shapely.MultiPoint(list(centres.geometry))
    hull = points.convex_hull.buffer(margin_m)
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=hull, ordered=True))
    geometry = [cells[i].intersection(hull) for i in range(len(centres))]
    names = dict(zip(wilayah.kecamatan_table(kode_kabupaten)["kode"], wilayah.kecamatan_table(kode_kabupaten)["nama"]))
    result = gpd.GeoDataFrame(
        {"kode": centres["kode"], "nama": centres["kode"].map(names).fillna(centres["nama"])},
        geometry=geometry,
        crs=CRS_UTM,
    )
    result.attrs.update({"sumber": SCHEMATIC_NOTE, "skematis": True, "tingkat": "kecamatan"})
    return result.sort_values("kode", ignore_index=True)


def describe_source(boundaries: gpd.GeoDataFrame | None) -> str:
    """Short Indonesian description of where polygons come from, for a map's source note."""
    if boundaries is None:
        return "tidak tersedia"
    if boundaries.attrs.get("skematis"):
        return "skematis dari titik pusat kecamatan (perkiraan), bukan batas resmi"
    source = str(boundaries.attrs.get("sumber", "file batas wilayah"))
    if source.startswith(("jombang_kecamatan.geojson", "jombang_desa.geojson", PROVINCE_KECAMATAN_FILE.name,
                          PROVINCE_FILE.name)):
        return "wilayah_boundaries (Cahya DSN; Kepmendagri 300.2.2-2430/2025), disederhanakan"
    return source
