EXPECTED = {}


def url_args(name, demo):
    return {}
