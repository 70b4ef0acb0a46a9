"""An organising body's certificate settings page: numbering, look, signer, images, preview, signing certificate."""
