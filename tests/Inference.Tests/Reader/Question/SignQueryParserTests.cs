using CollabVlm.Inference.Reader.Question;

namespace CollabVlm.Inference.Tests.Reader.Question;

public sealed class SignQueryParserTests
{
    // The generator's phrasings: "What does the sign say?" without distractors, the plate colour with them.
    [Theory]
    [InlineData("What does the white sign say?", "white")]
    [InlineData("What does the green sign say?", "green")]
    [InlineData("What does the blue sign say?", "blue")]
    [InlineData("What does the red sign say?", "red")]
    [InlineData("What does the black sign say?", "black")]
    [InlineData("What does the brown sign say?", "brown")]
    [InlineData("What does the teal sign say?", "teal")]
    [InlineData("what does the GRAY board read", "grey")]
    public void The_generators_colour_questions_name_the_plate(string question, string colour)
    {
        var query = SignQueryParser.Parse(question);
        Assert.Equal(colour, query.Colour);
        Assert.True(query.NamesASign);
        Assert.Null(query.Horizontal);
        Assert.Equal(SignContent.Any, query.Content);
    }

    [Theory]
    [InlineData("What does the sign say?")]
    [InlineData("What is written here?")]
    [InlineData("")]
    [InlineData(null)]
    public void A_plain_question_names_no_sign(string? question) => Assert.False(SignQueryParser.Parse(question).NamesASign);

    [Theory]
    [InlineData("What does the sign on the left say?", HorizontalPlace.Left, null)]
    [InlineData("What does the rightmost sign say?", HorizontalPlace.Right, null)]
    [InlineData("What does the top right sign say?", HorizontalPlace.Right, VerticalPlace.Top)]
    [InlineData("What does the top-left sign say?", HorizontalPlace.Left, VerticalPlace.Top)]
    [InlineData("What does the sign at the bottom say?", null, VerticalPlace.Bottom)]
    [InlineData("Read the upper sign", null, VerticalPlace.Top)]
    [InlineData("What does the sign in the middle say?", HorizontalPlace.Centre, null)]
    [InlineData("What does the middle left sign say?", HorizontalPlace.Left, VerticalPlace.Middle)]
    [InlineData("What does the sign at the bottom centre say?", HorizontalPlace.Centre, VerticalPlace.Bottom)]
    public void Places_are_read(string question, HorizontalPlace? horizontal, VerticalPlace? vertical)
    {
        var query = SignQueryParser.Parse(question);
        Assert.Equal(horizontal, query.Horizontal);
        Assert.Equal(vertical, query.Vertical);
    }

    [Theory]
    [InlineData("What is the number on the sign?", SignContent.Number)]
    [InlineData("What is the price?", SignContent.Price)]
    [InlineData("How much does the coffee cost?", SignContent.Price)]
    [InlineData("What phone number is on the van?", SignContent.Phone)]
    [InlineData("What is the telephone number?", SignContent.Phone)]
    [InlineData("What is the word on the blue sign?", SignContent.Word)]
    public void Kinds_of_content_are_read(string question, SignContent content) => Assert.Equal(content, SignQueryParser.Parse(question).Content);

    [Fact]
    public void Words_the_sign_says_are_taken_out_before_places_are_read()
    {
        var query = SignQueryParser.Parse("What does the sign that says KEEP LEFT say below it?");
        Assert.Equal(["KEEP", "LEFT"], query.Words);
        Assert.Null(query.Horizontal); // LEFT is the sign's text, not a place
    }

    [Theory]
    [InlineData("What number is on the sign that says Platform?", new[] { "Platform" })]
    [InlineData("What is under the word \"OPEN\" on the red sign?", new[] { "OPEN" })]
    [InlineData("What does the sign reading 'Main St' say next to it?", new[] { "Main", "St" })]
    [InlineData("What is the price on the board labelled CAFE?", new[] { "CAFE" })]
    public void Contained_words_are_read(string question, string[] words) => Assert.Equal(words, SignQueryParser.Parse(question).Words);

    [Fact]
    public void Everything_together()
    {
        var query = SignQueryParser.Parse("What is the price on the yellow sign on the right?");
        Assert.Equal((ColourNames.Yellow, HorizontalPlace.Right, SignContent.Price), (query.Colour, query.Horizontal, query.Content));
        Assert.Contains("yellow", query.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("What does the sign say?")]
    [InlineData("What does the sign on the left say?")]
    [InlineData("What is written on the door?")]
    [InlineData("Read the label on the bottle.")]
    [InlineData("What number is on the bus?")]
    [InlineData("What is the price of the coffee?")]
    [InlineData("What is the name of the shop?")]
    [InlineData("Is the word \"EXIT\" above the door?")]
    public void Questions_that_ask_for_something_written_ask_to_read(string question) => Assert.True(SignQueryParser.AsksToRead(question));

    [Theory]
    [InlineData("How many people are in the picture?")]
    [InlineData("What colour is the car?")]
    [InlineData("What is the number of birds on the wire?")]
    [InlineData("Is the door open?")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_questions_do_not(string? question) => Assert.False(SignQueryParser.AsksToRead(question));
}
