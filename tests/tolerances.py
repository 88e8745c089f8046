"""Tolerances shared by the model tests."""

#: A 500th of a morphine molecule (285.3 g/mol / 6.022e23 = 4.7e-16 µg): an amount no
#: model result means. Property tests compare amounts to a relative tolerance and to this
#: floor: hypothesis also draws amounts such as 2.2e-308 or 2.2e-313 µg/day, whose
#: (subnormal) floats lose digits in the model's arithmetic. [µg]
LESS_THAN_A_MOLECULE_UG = 1e-18
