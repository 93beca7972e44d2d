verify .
