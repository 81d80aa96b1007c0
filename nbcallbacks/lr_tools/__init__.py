"""Learning-rate tools used before training: schedule previews, sliders, the LR range test."""
