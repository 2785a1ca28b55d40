"""The bundled sample site: five film pages served over real HTTP on 127.0.0.1."""
