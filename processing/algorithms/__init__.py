"""One algorithm per module; this lists them for the provider."""


def all_algorithms():
    from .build_project import BuildProject
    from .check_filing import CheckFiling
    from .check_lists import CheckLists
    from .compare_versions import CompareVersions
    from .delineate_units import DelineateUnits
    from .export_filing import ExportFiling
    from .export_list_table import ExportListTable
    from .publish_lookup import PublishLookup
    from .screen_projects import ScreenProjects
    from .standardize_zones import StandardizeZones
    from .validate_units import ValidateUnits

    return [
        StandardizeZones(),
        DelineateUnits(),
        ValidateUnits(),
        CheckLists(),
        ExportListTable(),
        ScreenProjects(),
        CompareVersions(),
        ExportFiling(),
        CheckFiling(),
        BuildProject(),
        PublishLookup(),
    ]
