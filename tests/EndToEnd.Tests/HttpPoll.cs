using System.Net;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>Polls an HTTP endpoint of a starting process until it answers as expected or the timeout passes.</summary>
public static class HttpPoll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>True once <paramref name="url"/> answers <paramref name="expected"/>; false when <paramref name="timeout"/> passes first.</summary>
    public static Task<bool> UntilStatusAsync(HttpClient client, string url, HttpStatusCode expected, TimeSpan timeout) =>
        UntilAsync(client, url, (status, _) => status == expected, timeout);

    /// <summary>True once <paramref name="accept"/> holds for a response's status and body.</summary>
    public static async Task<bool> UntilAsync(HttpClient client, string url, Func<HttpStatusCode, string, bool> accept, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (accept(response.StatusCode, await response.Content.ReadAsStringAsync())) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(Interval);
        }
        return false;
    }
}
