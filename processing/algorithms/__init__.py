"""One algorithm per module; this lists them for the provider."""


def all_algorithms():
    from .delineate_units import DelineateUnits
    from .standardize_zones import StandardizeZones
    from .validate_units import ValidateUnits

    return [StandardizeZones(), DelineateUnits(), ValidateUnits()]
