import pytest

from healthgym.mcp_servers.domains import domain_names, get_domain


@pytest.fixture(scope="module", params=domain_names())
def spec(request):
    return get_domain(request.param)
