from django.shortcuts import render

from search.selectors import MAX_QUERY_LENGTH, full_text
from search.selectors import search as run_search


def search(request):
    query = request.GET.get("q", "")
    error = ""
    if len(query) > MAX_QUERY_LENGTH:
        error = f"Search for {MAX_QUERY_LENGTH} characters or fewer."
    results = run_search(user=request.user, query="" if error else query)
    return render(
        request,
        "search/results.html",
        {
            "results": results,
            "query": query[:MAX_QUERY_LENGTH],
            "error": error,
            "full_text": full_text(),
        },
    )
