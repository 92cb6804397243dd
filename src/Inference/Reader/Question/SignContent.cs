namespace CollabVlm.Inference.Reader.Question;

/// <summary>The kind of text a question says the sign holds.</summary>
public enum SignContent
{
    /// <summary>The question does not say ("what does the sign say?").</summary>
    Any,
    /// <summary>"the number", "which digits".</summary>
    Number,
    /// <summary>"the price", "how much": digits with a currency sign or decimals.</summary>
    Price,
    /// <summary>"the phone number": seven digits or more.</summary>
    Phone,
    /// <summary>"the word": letters, no digits.</summary>
    Word,
}
