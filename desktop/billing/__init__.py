"""Pure billing rules: units, JW/JZ, 340B, NDC, findings. Standard library only."""
