"""One algorithm per module; this lists them for the provider."""


def all_algorithms():
    from .build_project import BuildProject
    from .check_filing import CheckFiling
    from .check_lists import CheckLists
    from .compare_versions import CompareVersions
    from .delineate_units import DelineateUnits
    from .export_filing import ExportFiling
    from .export_library import ExportLibrary
    from .export_list_table import ExportListTable
    from .import_list_table import ImportListTable
    from .import_units import ImportUnits
    from .publish_library import PublishLibrary
    from .publish_lookup import PublishLookup
    from .screen_projects import ScreenProjects
    from .standardize_zones import StandardizeZones
    from .track_units import TrackUnits
    from .validate_units import ValidateUnits

    return [
        StandardizeZones(),
        DelineateUnits(),
        ValidateUnits(),
        ImportUnits(),
        ImportListTable(),
        CheckLists(),
        ExportListTable(),
        PublishLibrary(),
        ExportLibrary(),
        ScreenProjects(),
        CompareVersions(),
        ExportFiling(),
        CheckFiling(),
        BuildProject(),
        TrackUnits(),
        PublishLookup(),
    ]
