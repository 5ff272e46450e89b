"""The checks of the point tables: one mixin of the validator per table kind."""
